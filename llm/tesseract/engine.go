package tesseract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// Engine is an llm.OCR that runs the tesseract program once per image,
// passing the image on its standard input and reading TSV from its
// standard output. It is safe for concurrent use; its settings are fixed
// by New.
type Engine struct {
	bin     string // resolved path
	name    string // "tesseract:eng+deu", the graph node's name
	args    []string
	tess    string // --tessdata-dir, if any
	timeout time.Duration
	env     []string
	threads int
	sem     chan struct{}
	detail  string
}

// Engine implements llm.OCR.
var _ llm.OCR = (*Engine)(nil)

// waitDelay bounds how long a killed tesseract may keep its pipes open.
const waitDelay = 2 * time.Second

// maxStderr is how much of tesseract's standard error is kept.
const maxStderr = 64 << 10

// New returns an Engine. It looks the tesseract program up at once (in
// PATH, or the path given by WithBinary) and returns an error matching
// ErrNotInstalled if it is missing; language data is checked at the first
// Recognize, which returns a *LanguageError if some is missing. An invalid
// option is an error matching ErrBadOption.
func New(opts ...Option) (*Engine, error) {
	c := config{bin: "tesseract", langs: []string{"eng"}, psm: -1, threads: 1, concurrency: runtime.GOMAXPROCS(0)}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&c); err != nil {
			return nil, configError{err}
		}
	}
	bin, err := exec.LookPath(c.bin)
	if err != nil {
		return nil, notInstalled(c.bin, err)
	}
	lang := strings.Join(c.langs, "+")
	e := &Engine{
		bin:     bin,
		name:    "tesseract:" + lang,
		tess:    c.tessdata,
		timeout: c.timeout,
		env:     c.env,
		threads: c.threads,
		sem:     make(chan struct{}, c.concurrency),
	}
	e.args = []string{"stdin", "stdout", "-l", lang}
	var detail []string
	if c.tessdata != "" {
		e.args = append(e.args, "--tessdata-dir", c.tessdata)
	}
	if c.psm >= 0 {
		e.args = append(e.args, "--psm", strconv.Itoa(int(c.psm)))
		detail = append(detail, "psm "+strconv.Itoa(int(c.psm)))
	}
	if c.dpi > 0 {
		e.args = append(e.args, "--dpi", strconv.Itoa(c.dpi))
		detail = append(detail, strconv.Itoa(c.dpi)+" dpi")
	}
	for _, v := range c.vars {
		e.args = append(e.args, "-c", v[0]+"="+v[1])
	}
	e.args = append(e.args, "tsv")
	e.detail = strings.Join(detail, ", ")
	return e, nil
}

// MustNew is New that panics with New's error instead of returning it,
// for programs that cannot run without Tesseract.
func MustNew(opts ...Option) *Engine {
	e, err := New(opts...)
	if err != nil {
		panic(err)
	}
	return e
}

func notInstalled(bin string, err error) error {
	return fmt.Errorf("%w: %s: %w", ErrNotInstalled, bin, err)
}

// Recognize reads the text of img. The image must be of a type tesseract
// reads (PNG, JPEG, GIF, WebP, TIFF, BMP, JPEG 2000 or PNM) and its bytes
// must be such an image; otherwise the error wraps llm.ErrUnsupportedImage
// and tesseract is not run.
//
// When ctx ends the tesseract process is killed and the error wraps
// ctx.Err(); the Engine's own timeout gives a *chain.TimeoutError. Missing
// language data gives a *LanguageError, any other failure of tesseract an
// *ExitError carrying its standard error.
func (e *Engine) Recognize(ctx context.Context, img llm.Image) (llm.OCRResult, error) {
	if err := checkImage(img); err != nil {
		return llm.OCRResult{}, err
	}
	out, stderr, err := e.run(ctx, bytes.NewReader(img.Data), e.args)
	if err != nil {
		return llm.OCRResult{}, err
	}
	if lerr := languageError(stderr); lerr != nil {
		// tesseract goes on with the languages it could load when one of
		// several is missing: refuse rather than read with fewer.
		return llm.OCRResult{}, lerr
	}
	res, err := ParseTSV(out)
	if err != nil {
		return llm.OCRResult{}, err
	}
	return res, nil
}

// Languages returns the languages tesseract has data for (tesseract
// --list-langs), such as [eng osd].
func (e *Engine) Languages(ctx context.Context) ([]string, error) {
	var args []string
	if e.tess != "" {
		args = append(args, "--tessdata-dir", e.tess)
	}
	args = append(args, "--list-langs")
	out, _, err := e.run(ctx, nil, args)
	if err != nil {
		return nil, err
	}
	var langs []string
	listing := false
	for _, l := range strings.Split(string(out), "\n") {
		l = strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, "List of available languages"):
			listing = true
		case listing && l != "":
			langs = append(langs, l)
		}
	}
	if !listing {
		return nil, fmt.Errorf("tesseract: unexpected --list-langs output: %q", truncate(strings.TrimSpace(string(out)), 200))
	}
	return langs, nil
}

// Describe reports the engine as an "ocr" node named after its languages,
// such as "tesseract:eng".
func (e *Engine) Describe() chain.Node {
	return chain.Node{Kind: "ocr", Name: e.name, Detail: e.detail}
}

// run runs tesseract with args and stdin, honouring ctx, the timeout and
// the concurrency limit. It returns standard output and the trimmed
// standard error.
func (e *Engine) run(ctx context.Context, stdin *bytes.Reader, args []string) (stdout []byte, stderr string, err error) {
	parent := ctx
	if e.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, e.timeout)
		defer cancel()
	}
	// ctxErr turns the end of ctx into the error Recognize promises.
	ctxErr := func() error {
		if err := parent.Err(); err != nil {
			return fmt.Errorf("tesseract: %w", context.Cause(parent))
		}
		return &chain.TimeoutError{Node: e.name, After: e.timeout}
	}

	select {
	case e.sem <- struct{}{}:
		defer func() { <-e.sem }()
	case <-ctx.Done():
		return nil, "", ctxErr()
	}
	if ctx.Err() != nil {
		return nil, "", ctxErr()
	}

	cmd := exec.CommandContext(ctx, e.bin, args...)
	if stdin != nil {
		cmd.Stdin = stdin
	}
	var out bytes.Buffer
	errBuf := &limitedBuffer{max: maxStderr}
	cmd.Stdout = &out
	cmd.Stderr = errBuf
	cmd.Env = e.environ()
	cmd.WaitDelay = waitDelay

	runErr := cmd.Run()
	stderr = cleanStderr(errBuf.String())
	if runErr != nil {
		if ctx.Err() != nil {
			return nil, stderr, ctxErr()
		}
		var exitErr *exec.ExitError
		switch {
		case errors.As(runErr, &exitErr):
			if lerr := languageError(stderr); lerr != nil {
				return nil, stderr, lerr
			}
			return nil, stderr, &ExitError{Code: exitErr.ExitCode(), Stderr: truncate(stderr, 4000), Err: runErr}
		case errors.Is(runErr, exec.ErrNotFound), errors.Is(runErr, fs.ErrNotExist), errors.Is(runErr, fs.ErrPermission):
			return nil, stderr, notInstalled(e.bin, runErr)
		}
		return nil, stderr, fmt.Errorf("tesseract: %w", runErr)
	}
	return out.Bytes(), stderr, nil
}

// environ is this process's environment, the thread limit, then the
// user's entries (later entries win).
func (e *Engine) environ() []string {
	env := os.Environ()
	if e.threads > 0 {
		env = append(env, "OMP_THREAD_LIMIT="+strconv.Itoa(e.threads))
	}
	return append(env, e.env...)
}

var failedLanguage = regexp.MustCompile(`Failed loading language '([^']*)'`)

// languageError finds tesseract's complaint about missing language data.
func languageError(stderr string) *LanguageError {
	m := failedLanguage.FindStringSubmatch(stderr)
	if m == nil {
		return nil
	}
	return &LanguageError{Language: m[1], Stderr: truncate(stderr, 4000)}
}

// cleanStderr drops tesseract's routine chatter and trims the rest.
func cleanStderr(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == "",
			strings.HasPrefix(l, "Estimating resolution as "),
			strings.HasPrefix(l, "Warning: Invalid resolution 0 dpi"),
			strings.HasPrefix(l, "Detected ") && strings.HasSuffix(l, " diacritics"):
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n")
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + " …"
}

// limitedBuffer keeps the first max bytes written to it and drops the
// rest, so a chatty process cannot fill memory.
type limitedBuffer struct {
	buf bytes.Buffer
	max int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (b *limitedBuffer) String() string { return b.buf.String() }

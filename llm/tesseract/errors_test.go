package tesseract_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/testimages"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/tesseract"
)

func TestMissingBinary(t *testing.T) {
	_, err := tesseract.New(tesseract.WithBinary(filepath.Join(t.TempDir(), "no-such-tesseract")))
	if !errors.Is(err, tesseract.ErrNotInstalled) {
		t.Fatalf("New with a missing binary: %v, want ErrNotInstalled", err)
	}
	if !strings.Contains(err.Error(), "tesseract-ocr") {
		t.Errorf("error %q does not say which package to install", err)
	}
}

func TestBinaryRemovedAfterNew(t *testing.T) {
	bin := fakeTesseract(t, "exit 0")
	eng, err := tesseract.New(tesseract.WithBinary(bin))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(bin); err != nil {
		t.Fatal(err)
	}
	_, err = eng.Recognize(context.Background(), tinyPNG(t))
	if !errors.Is(err, tesseract.ErrNotInstalled) {
		t.Fatalf("Recognize after the binary went: %v, want ErrNotInstalled", err)
	}
}

func TestBadOptions(t *testing.T) {
	for name, opt := range map[string]tesseract.Option{
		"empty language":   tesseract.WithLanguages(""),
		"dash language":    tesseract.WithLanguages("-psm"),
		"odd language":     tesseract.WithLanguages("eng deu"),
		"no languages":     tesseract.WithLanguages(),
		"psm":              tesseract.WithPageSegMode(14),
		"dpi":              tesseract.WithDPI(0),
		"binary":           tesseract.WithBinary(""),
		"timeout":          tesseract.WithTimeout(-time.Second),
		"env":              tesseract.WithEnv("NOEQUALS"),
		"threads":          tesseract.WithThreads(-1),
		"variable":         tesseract.WithVariable("a=b", "c"),
		"variable newline": tesseract.WithVariable("x", "a\nb"),
		"tessdata":         tesseract.WithTessdataDir(""),
		"concurrency":      tesseract.WithMaxConcurrency(0),
	} {
		if _, err := tesseract.New(opt); !errors.Is(err, tesseract.ErrBadOption) || !errors.Is(err, chain.ErrConfig) {
			t.Errorf("%s: New = %v, want ErrBadOption and chain.ErrConfig", name, err)
		}
	}
}

func TestUnsupportedImages(t *testing.T) {
	letter, err := os.ReadFile(filepath.Join("testdata", "letter.png"))
	if err != nil {
		t.Fatal(err)
	}
	letterPath, err := filepath.Abs(filepath.Join("testdata", "letter.png"))
	if err != nil {
		t.Fatal(err)
	}
	// A fake binary: these images must be refused before it would run.
	eng, err := tesseract.New(tesseract.WithBinary(fakeTesseract(t, "echo ran >&2; exit 3")))
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		img  llm.Image
		want string
	}{
		"svg":         {llm.Image{MIMEType: "image/svg+xml", Data: []byte("<svg/>")}, "image/svg+xml"},
		"pdf":         {llm.Image{MIMEType: "application/pdf", Data: []byte("%PDF-1.4")}, "application/pdf"},
		"no type":     {llm.Image{Data: letter}, `""`},
		"empty":       {llm.Image{MIMEType: "image/png"}, "empty"},
		"garbage":     {llm.Image{MIMEType: "image/png", Data: []byte("this is not a PNG at all")}, "not a image/png image"},
		"random":      {llm.Image{MIMEType: "image/jpeg", Data: []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}}, "not a image/jpeg image"},
		"a file list": {llm.Image{MIMEType: "image/png", Data: []byte(letterPath + "\n")}, "not a image/png image"},
	} {
		_, err := eng.Recognize(context.Background(), c.img)
		if !errors.Is(err, llm.ErrUnsupportedImage) {
			t.Errorf("%s: %v, want ErrUnsupportedImage", name, err)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q does not mention %q", name, err, c.want)
		}
	}
	// Parameters and case in the MIME type are fine.
	_, err = eng.Recognize(context.Background(), llm.Image{MIMEType: "IMAGE/PNG; foo=bar", Data: letter})
	var exit *tesseract.ExitError
	if !errors.As(err, &exit) || exit.Code != 3 || exit.Stderr != "ran" {
		t.Errorf("image/png with parameters: %v, want the fake binary's exit 3", err)
	}
}

func TestCorruptPNG(t *testing.T) {
	needTesseract(t)
	eng, err := tesseract.New()
	if err != nil {
		t.Fatal(err)
	}
	good := readImage(t, "invoice").Data
	for name, data := range map[string][]byte{
		"truncated":   good[:200],
		"header only": good[:8],
		"scrambled":   append(append([]byte{}, good[:64]...), []byte(strings.Repeat("garbage!", 100))...),
	} {
		_, err := eng.Recognize(context.Background(), llm.Image{MIMEType: "image/png", Data: data})
		var exit *tesseract.ExitError
		if !errors.As(err, &exit) {
			t.Errorf("%s: %v, want an *ExitError", name, err)
			continue
		}
		t.Logf("%s: %v", name, err)
		if exit.Code == 0 || exit.Stderr == "" || strings.TrimSpace(exit.Stderr) != exit.Stderr {
			t.Errorf("%s: exit %d, stderr %q: want a non-zero code and tesseract's trimmed message", name, exit.Code, exit.Stderr)
		}
	}
}

func TestMissingLanguage(t *testing.T) {
	needTesseract(t)
	for _, langs := range []string{"zzz", "eng+zzz"} {
		eng, err := tesseract.New(tesseract.WithLanguages(langs))
		if err != nil {
			t.Fatal(err)
		}
		_, err = eng.Recognize(context.Background(), readImage(t, "letter"))
		var lerr *tesseract.LanguageError
		if !errors.As(err, &lerr) || !errors.Is(err, tesseract.ErrLanguageMissing) {
			t.Fatalf("%s: %v, want a *LanguageError", langs, err)
		}
		if lerr.Language != "zzz" || lerr.Package() != "tesseract-ocr-zzz" || !strings.Contains(err.Error(), "apt-get install tesseract-ocr-zzz") {
			t.Errorf("%s: %v (language %q, package %q)", langs, err, lerr.Language, lerr.Package())
		}
	}
}

func TestLanguagePackages(t *testing.T) {
	for lang, want := range map[string]string{
		"deu":                "tesseract-ocr-deu",
		"chi_sim":            "tesseract-ocr-chi-sim",
		"chi_sim_vert":       "tesseract-ocr-chi-sim-vert",
		"script/Latin":       "tesseract-ocr-script-latn",
		"script/HanS_vert":   "tesseract-ocr-script-hans-vert",
		"script/Unknownland": "tesseract-ocr-script-unknownland",
	} {
		if got := (&tesseract.LanguageError{Language: lang}).Package(); got != want {
			t.Errorf("package for %q = %q, want %q", lang, got, want)
		}
	}
}

func TestCancelKillsProcess(t *testing.T) {
	needTesseract(t)
	eng, err := tesseract.New()
	if err != nil {
		t.Fatal(err)
	}
	img := bigPage(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	start := time.Now()
	go func() {
		_, err := eng.Recognize(ctx, img)
		done <- err
	}()
	time.Sleep(300 * time.Millisecond)
	cancel()
	cancelled := time.Now()
	select {
	case err := <-done:
		// Recognize returns only once the process has been reaped, so a
		// prompt return means tesseract was killed.
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
		if d := time.Since(cancelled); d > time.Second {
			t.Errorf("returned %v after the cancellation", d)
		}
		t.Logf("returned %v after cancel (%v after start)", time.Since(cancelled), time.Since(start))
	case <-time.After(10 * time.Second):
		t.Fatal("Recognize did not return after its context was cancelled")
	}
}

func TestTimeout(t *testing.T) {
	needTesseract(t)
	eng, err := tesseract.New(tesseract.WithTimeout(50 * time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	big := bigPage(t)
	start := time.Now()
	_, err = eng.Recognize(context.Background(), big)
	if !errors.Is(err, chain.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) || !chain.IsRetryable(err) {
		t.Fatalf("err = %v, want a retryable timeout", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("timed out after %v, want about 50ms", d)
	}

	// A tiny timeout on a normal page.
	eng, err = tesseract.New(tesseract.WithTimeout(time.Microsecond))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Recognize(context.Background(), readImage(t, "invoice")); !errors.Is(err, chain.ErrTimeout) {
		t.Fatalf("1µs timeout: %v, want chain.ErrTimeout", err)
	}
	// The caller's own deadline is reported as the caller's.
	eng, err = tesseract.New(tesseract.WithTimeout(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = eng.Recognize(ctx, big)
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, chain.ErrTimeout) {
		t.Fatalf("caller's deadline: %v, want context.DeadlineExceeded and not the engine's timeout", err)
	}
}

func TestCancelledBeforeStart(t *testing.T) {
	eng, err := tesseract.New(tesseract.WithBinary(fakeTesseract(t, "exit 0")))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := eng.Recognize(ctx, tinyPNG(t)); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestCommandLineAndEnvironment(t *testing.T) {
	out := filepath.Join(t.TempDir(), "seen")
	script := `printf '%s\n' "$@" > ` + out + `
printf 'OMP=%s\nEXTRA=%s\n' "$OMP_THREAD_LIMIT" "$CHORUS_EXTRA" >> ` + out + `
cat > /dev/null
printf 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n'
printf '5\t1\t1\t1\t1\t1\t10\t20\t30\t40\t91.5\tHello\n'
printf '5\t1\t1\t1\t1\t2\t50\t20\t30\t40\t-1\tworld\n'
echo 'Estimating resolution as 300' >&2`
	eng, err := tesseract.New(
		tesseract.WithBinary(fakeTesseract(t, script)),
		tesseract.WithLanguages("eng+deu", "fra"),
		tesseract.WithPageSegMode(tesseract.SingleBlock),
		tesseract.WithDPI(300),
		tesseract.WithVariable("preserve_interword_spaces", "1"),
		tesseract.WithTessdataDir("/opt/tessdata"),
		tesseract.WithEnv("CHORUS_EXTRA=yes"),
	)
	if err != nil {
		t.Fatal(err)
	}
	res, err := eng.Recognize(context.Background(), tinyPNG(t))
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != "Hello world" || len(res.Words) != 2 || res.Confidence != (0.915+0)/2 {
		t.Errorf("result = %+v", res)
	}
	seen, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{"stdin", "stdout", "-l", "eng+deu+fra", "--tessdata-dir", "/opt/tessdata",
		"--psm", "6", "--dpi", "300", "-c", "preserve_interword_spaces=1", "tsv", "OMP=1", "EXTRA=yes", ""}, "\n")
	if string(seen) != want {
		t.Errorf("tesseract saw:\n%s\nwant:\n%s", seen, want)
	}

	// WithThreads(0) leaves OMP_THREAD_LIMIT alone; WithThreads(3) sets 3.
	for threads, want := range map[int]string{0: "OMP=\n", 3: "OMP=3\n"} {
		t.Setenv("OMP_THREAD_LIMIT", "")
		eng, err := tesseract.New(tesseract.WithBinary(fakeTesseract(t, script)), tesseract.WithThreads(threads))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := eng.Recognize(context.Background(), tinyPNG(t)); err != nil {
			t.Fatal(err)
		}
		seen, _ := os.ReadFile(out)
		if !strings.Contains(string(seen), want) {
			t.Errorf("WithThreads(%d): tesseract saw\n%s\nwant %q", threads, seen, want)
		}
	}
}

func TestExitErrorTrimsStderr(t *testing.T) {
	eng, err := tesseract.New(tesseract.WithBinary(fakeTesseract(t, `cat >/dev/null; printf '\n  Estimating resolution as 70\nError in pixReadMem: bad\n\n' >&2; exit 1`)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = eng.Recognize(context.Background(), tinyPNG(t))
	var exit *tesseract.ExitError
	if !errors.As(err, &exit) || exit.Code != 1 || exit.Stderr != "Error in pixReadMem: bad" {
		t.Fatalf("err = %#v", err)
	}
	if err.Error() != "tesseract: exit status 1: Error in pixReadMem: bad" {
		t.Errorf("Error() = %q", err.Error())
	}
}

func TestBadTSVFromProgram(t *testing.T) {
	eng, err := tesseract.New(tesseract.WithBinary(fakeTesseract(t, `cat >/dev/null; echo 'not tsv'`)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Recognize(context.Background(), tinyPNG(t)); !errors.Is(err, tesseract.ErrBadTSV) {
		t.Fatalf("err = %v, want ErrBadTSV", err)
	}
}

// fakeTesseract writes a shell script standing in for tesseract.
func fakeTesseract(t *testing.T, body string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("needs a POSIX shell")
	}
	path := filepath.Join(t.TempDir(), "tesseract")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// tinyPNG is a small valid PNG.
func tinyPNG(t *testing.T) llm.Image {
	t.Helper()
	data, err := testimages.EncodePNG(testimages.Render([]string{"x"}, testimages.Options{Size: 4, DPI: 72}))
	if err != nil {
		t.Fatal(err)
	}
	return llm.Image{MIMEType: "image/png", Data: data}
}

// bigPage is a page tesseract needs several seconds for.
func bigPage(t *testing.T) llm.Image {
	t.Helper()
	data, err := bigPNG()
	if err != nil {
		t.Fatal(err)
	}
	return llm.Image{MIMEType: "image/png", Data: data}
}

// bigPNG tiles letter.png twelve times down a page: rendering a page
// that size with the fonts is slow under the race detector.
var bigPNG = sync.OnceValues(func() ([]byte, error) {
	letter := testimages.Letter().Image()
	b := letter.Bounds()
	const copies = 12
	page := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()*copies))
	for i := range copies {
		copy(page.Pix[i*len(letter.Pix):], letter.Pix)
	}
	var buf bytes.Buffer
	err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, page)
	return buf.Bytes(), err
})

package tesseract

import (
	"fmt"
	"strings"
	"time"
)

// PageSegMode is tesseract's page segmentation mode (--psm): how it
// splits the page into blocks, lines and words.
type PageSegMode int

// The page segmentation modes tesseract 5 knows. Auto (tesseract's
// default) suits whole pages; SingleBlock suits a form or receipt whose
// lines should stay lines; SparseText finds as much text as it can in no
// particular order.
const (
	OSDOnly                 PageSegMode = 0  // orientation and script detection only
	AutoOSD                 PageSegMode = 1  // automatic, with orientation and script detection
	AutoOnly                PageSegMode = 2  // automatic segmentation, no OSD and no OCR
	Auto                    PageSegMode = 3  // fully automatic, no OSD (the default)
	SingleColumn            PageSegMode = 4  // one column of text of variable sizes
	SingleBlockVerticalText PageSegMode = 5  // one uniform block of vertical text
	SingleBlock             PageSegMode = 6  // one uniform block of text
	SingleLine              PageSegMode = 7  // one line of text
	SingleWord              PageSegMode = 8  // one word
	CircleWord              PageSegMode = 9  // one word in a circle
	SingleChar              PageSegMode = 10 // one character
	SparseText              PageSegMode = 11 // as much text as possible, in no order
	SparseTextOSD           PageSegMode = 12 // sparse text with OSD
	RawLine                 PageSegMode = 13 // one line, bypassing tesseract's hacks
)

// Option sets an optional setting of New.
type Option func(*config) error

type config struct {
	bin         string
	langs       []string
	psm         PageSegMode
	dpi         int
	timeout     time.Duration
	env         []string
	threads     int
	vars        [][2]string
	tessdata    string
	concurrency int
}

// WithLanguages sets the languages to read, in tesseract's names ("eng",
// "deu", "chi_sim", "script/Latin"); each argument may also join several
// with "+" as tesseract does ("eng+deu"). The default is "eng". Each
// language needs its data installed (Debian: tesseract-ocr-LANG).
func WithLanguages(langs ...string) Option {
	return func(c *config) error {
		var out []string
		for _, l := range langs {
			for _, part := range strings.Split(l, "+") {
				if !validLanguage(part) {
					return fmt.Errorf("%w: language %q", ErrBadOption, part)
				}
				out = append(out, part)
			}
		}
		if len(out) == 0 {
			return fmt.Errorf("%w: no languages", ErrBadOption)
		}
		c.langs = out
		return nil
	}
}

func validLanguage(s string) bool {
	if s == "" || s[0] == '-' || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '/') {
			return false
		}
	}
	return true
}

// WithPageSegMode sets the page segmentation mode (--psm). The default is
// tesseract's own, Auto.
func WithPageSegMode(m PageSegMode) Option {
	return func(c *config) error {
		if m < OSDOnly || m > RawLine {
			return fmt.Errorf("%w: page segmentation mode %d (want 0-13)", ErrBadOption, int(m))
		}
		c.psm = m
		return nil
	}
}

// WithDPI tells tesseract the image's resolution (--dpi) when the file
// does not say it. Without it tesseract estimates the resolution from
// the size of the text, which works well for clean pages.
func WithDPI(dpi int) Option {
	return func(c *config) error {
		if dpi < 1 || dpi > 10000 {
			return fmt.Errorf("%w: dpi %d", ErrBadOption, dpi)
		}
		c.dpi = dpi
		return nil
	}
}

// WithBinary sets the tesseract program to run: a path, or a name looked
// up in PATH. The default is "tesseract".
func WithBinary(path string) Option {
	return func(c *config) error {
		if path == "" {
			return fmt.Errorf("%w: empty binary path", ErrBadOption)
		}
		c.bin = path
		return nil
	}
}

// WithTimeout limits each Recognize call, including any wait for a free
// slot (see WithMaxConcurrency). A call that takes longer is stopped, its
// process killed, and returns a *chain.TimeoutError (matching
// chain.ErrTimeout and context.DeadlineExceeded, and retryable). The
// default is no limit beyond the caller's context.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("%w: negative timeout %v", ErrBadOption, d)
		}
		c.timeout = d
		return nil
	}
}

// WithEnv adds "KEY=VALUE" entries to the environment tesseract runs in
// (for example TESSDATA_PREFIX). They come after this process's
// environment and the thread limit, so they override both.
func WithEnv(kv ...string) Option {
	return func(c *config) error {
		for _, e := range kv {
			if k, _, ok := strings.Cut(e, "="); !ok || k == "" {
				return fmt.Errorf("%w: environment entry %q is not KEY=VALUE", ErrBadOption, e)
			}
		}
		c.env = append(c.env, kv...)
		return nil
	}
}

// WithThreads sets OMP_THREAD_LIMIT for tesseract. The default is 1:
// one page is read fastest on one thread on small machines, and
// concurrent pages use the other cores. 0 leaves the variable as this
// process's environment has it.
func WithThreads(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return fmt.Errorf("%w: negative thread count %d", ErrBadOption, n)
		}
		c.threads = n
		return nil
	}
}

// WithVariable sets one of tesseract's configuration variables (-c
// NAME=VALUE), such as preserve_interword_spaces=1 or
// tessedit_char_whitelist=0123456789.
func WithVariable(name, value string) Option {
	return func(c *config) error {
		if name == "" || strings.ContainsAny(name, "= \t\n") || strings.HasPrefix(name, "-") {
			return fmt.Errorf("%w: variable name %q", ErrBadOption, name)
		}
		if strings.ContainsAny(value, "\n\x00") {
			return fmt.Errorf("%w: variable %s: value holds a newline or NUL", ErrBadOption, name)
		}
		c.vars = append(c.vars, [2]string{name, value})
		return nil
	}
}

// WithTessdataDir sets the directory holding the .traineddata files
// (--tessdata-dir), for languages installed outside the system folder.
func WithTessdataDir(dir string) Option {
	return func(c *config) error {
		if dir == "" {
			return fmt.Errorf("%w: empty tessdata directory", ErrBadOption)
		}
		c.tessdata = dir
		return nil
	}
}

// WithMaxConcurrency bounds how many tesseract processes one Engine runs
// at once; further calls wait for a free slot (or for their context to
// end). The default is runtime.GOMAXPROCS(0) at New.
func WithMaxConcurrency(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("%w: max concurrency %d (want at least 1)", ErrBadOption, n)
		}
		c.concurrency = n
		return nil
	}
}

package pdf

import (
	"log/slog"
	"os"
	"path/filepath"
	"runtime"

	"github.com/chorus-go/chorus/llm"
)

// Defaults of Open's options.
const (
	// DefaultDPI is the resolution scanned pages are rendered at for OCR
	// and the unit of word boxes: Tesseract is trained on and reads best
	// at 300 DPI.
	DefaultDPI = 300
	// DefaultMaxPages is the largest page count read.
	DefaultMaxPages = 2000
	// DefaultMaxFileSize is the largest file read, in bytes (50 MiB).
	DefaultMaxFileSize = 50 << 20
	// DefaultMaxMemory is the WebAssembly memory limit of each PDFium
	// instance, in bytes (1 GiB): a hostile PDF fails with ErrEngine
	// instead of exhausting the machine.
	DefaultMaxMemory = 1 << 30
	// DefaultMaxPixels caps a rendered page (40 megapixels: ISO A2 at 300
	// DPI); larger pages are rendered at a lower DPI.
	DefaultMaxPixels = 40_000_000
	// DefaultMinTextChars is how many non-space characters a page's text
	// layer needs to be read as text rather than OCRed as a scan.
	DefaultMinTextChars = 10
)

// Option configures Open.
type Option func(*config)

type config struct {
	concurrency  int
	cacheDir     string
	ocr          llm.OCR
	dpi          int
	maxPages     int
	maxFileSize  int64
	maxMemory    int64
	maxPixels    int
	minTextChars int
	logger       *slog.Logger
	errs         []string
}

func (c *config) fail(format string, args ...any) {
	c.errs = append(c.errs, sprintf(format, args...))
}

func defaultConfig() config {
	c := config{
		concurrency:  min(runtime.GOMAXPROCS(0), 4),
		dpi:          DefaultDPI,
		maxPages:     DefaultMaxPages,
		maxFileSize:  DefaultMaxFileSize,
		maxMemory:    DefaultMaxMemory,
		maxPixels:    DefaultMaxPixels,
		minTextChars: DefaultMinTextChars,
		logger:       slog.New(slog.DiscardHandler),
	}
	if dir, err := os.UserCacheDir(); err == nil {
		c.cacheDir = filepath.Join(dir, "chorus", "pdfium-wazero")
	}
	return c
}

// WithConcurrency sets how many PDFium instances run at once, each
// reading one document (default: GOMAXPROCS, at most 4). Each instance
// holds its own WebAssembly memory. n must be at least 1.
func WithConcurrency(n int) Option {
	return func(c *config) {
		if n < 1 {
			c.fail("WithConcurrency(%d): want at least 1", n)
		}
		c.concurrency = n
	}
}

// WithCacheDir sets the directory where wazero keeps the compiled PDFium
// module, so that later Opens skip the compilation (default: chorus/
// pdfium-wazero under os.UserCacheDir, no cache when there is none). ""
// disables the cache: every Open compiles the module again.
func WithCacheDir(dir string) Option { return func(c *config) { c.cacheDir = dir } }

// WithOCR sets the OCR engine that reads scanned pages (pages without a
// usable text layer), rendered at WithDPI. Without one, such pages are
// reported unread with ErrNoOCR.
func WithOCR(o llm.OCR) Option { return func(c *config) { c.ocr = o } }

// WithDPI sets the resolution of rendered pages and of word boxes
// (default 300, what Tesseract reads best). dpi must be in [36, 1200].
func WithDPI(dpi int) Option {
	return func(c *config) {
		if dpi < 36 || dpi > 1200 {
			c.fail("WithDPI(%d): want 36..1200", dpi)
		}
		c.dpi = dpi
	}
}

// WithMaxPages sets the largest page count read (default 2,000); a longer
// document fails with ErrTooManyPages before any page is read.
func WithMaxPages(n int) Option {
	return func(c *config) {
		if n < 1 {
			c.fail("WithMaxPages(%d): want at least 1", n)
		}
		c.maxPages = n
	}
}

// WithMaxFileSize sets the largest file read, in bytes (default 50 MiB);
// a larger one fails with ErrTooLarge.
func WithMaxFileSize(n int64) Option {
	return func(c *config) {
		if n < 1 {
			c.fail("WithMaxFileSize(%d): want at least 1", n)
		}
		c.maxFileSize = n
	}
}

// WithMaxMemory sets each PDFium instance's WebAssembly memory limit in
// bytes (default 1 GiB, at most 4 GiB, at least 64 MiB).
func WithMaxMemory(n int64) Option {
	return func(c *config) {
		if n < 64<<20 || n > 4<<30 {
			c.fail("WithMaxMemory(%d): want 64 MiB..4 GiB", n)
		}
		c.maxMemory = n
	}
}

// WithMaxPixels caps the pixels of a rendered page (default 40 million);
// a larger page is rendered at the highest DPI that fits.
func WithMaxPixels(n int) Option {
	return func(c *config) {
		if n < 10_000 {
			c.fail("WithMaxPixels(%d): want at least 10000", n)
		}
		c.maxPixels = n
	}
}

// WithMinTextChars sets how many non-space characters a page's text
// layer needs to be read as text (default 10); a page with fewer but with
// content (images, drawings) is a scan and goes to OCR.
func WithMinTextChars(n int) Option {
	return func(c *config) {
		if n < 1 {
			c.fail("WithMinTextChars(%d): want at least 1", n)
		}
		c.minTextChars = n
	}
}

// WithLogger sets the logger (default: discard). The engine logs its
// start (compile or cache hit, duration) and pages it could not read.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l == nil {
			c.fail("WithLogger: nil logger")
			return
		}
		c.logger = l
	}
}

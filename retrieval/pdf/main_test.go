package pdf_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/llm/tesseract"
	"github.com/chorus-go/chorus/retrieval/pdf"
)

// engines are opened once per test binary (each start costs a
// WebAssembly instantiation, a compilation when the cache is cold) and
// closed by TestMain before the leak check.
var engines struct {
	mu   sync.Mutex
	open map[string]*pdf.Engine
}

type runner struct{ m *testing.M }

func (r runner) Run() int {
	code := r.m.Run()
	engines.mu.Lock()
	defer engines.mu.Unlock()
	for _, e := range engines.open {
		_ = e.Close()
	}
	return code
}

func TestMain(m *testing.M) { goleak.VerifyTestMain(runner{m}) }

// sharedEngine returns the engine named key, opened with opts the first
// time (the default compilation cache keeps later test runs warm).
func sharedEngine(tb testing.TB, key string, opts ...pdf.Option) *pdf.Engine {
	tb.Helper()
	engines.mu.Lock()
	defer engines.mu.Unlock()
	if e, ok := engines.open[key]; ok {
		return e
	}
	e, err := pdf.Open(context.Background(), opts...)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	if engines.open == nil {
		engines.open = map[string]*pdf.Engine{}
	}
	engines.open[key] = e
	return e
}

// textEngine has no OCR.
func textEngine(tb testing.TB) *pdf.Engine { return sharedEngine(tb, "text") }

// ocrEngine reads scans with Tesseract; it skips the test when tesseract
// is missing.
func ocrEngine(tb testing.TB) *pdf.Engine {
	tb.Helper()
	if _, err := exec.LookPath("tesseract"); err != nil {
		tb.Skip("tesseract not on PATH: install tesseract-ocr and tesseract-ocr-eng (make test does it)")
	}
	return sharedEngine(tb, "ocr", pdf.WithOCR(tesseract.MustNew(tesseract.WithLanguages("eng"))))
}

// readSample returns testdata/name.
func readSample(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

package pdf_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/testpdf"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/retrieval/pdf"
)

func TestInvalidInput(t *testing.T) {
	text := readSample(t, "text.pdf")
	cases := map[string][]byte{
		"empty":     nil,
		"not a pdf": []byte("hello, world"),
		"png":       []byte("\x89PNG\r\n\x1a\n...."),
		"header":    []byte("%PDF-1.7\n"),
		"garbage":   append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{0xff, 0x00, '(', '<'}, 500)...),
		"truncated": text[:len(text)/3],
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			doc, err := textEngine(t).Read(context.Background(), name+".pdf", data)
			var pe *pdf.Error
			if doc != nil || !errors.Is(err, pdf.ErrInvalidPDF) || !errors.As(err, &pe) || pe.Name != name+".pdf" {
				t.Fatalf("Read = %v, %v; want ErrInvalidPDF naming the file", doc, err)
			}
			if !strings.Contains(err.Error(), name+".pdf") {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

func TestEncrypted(t *testing.T) {
	data := testpdf.Encrypted([]testpdf.Page{{Lines: []string{"secret"}}})
	_, err := textEngine(t).Read(context.Background(), "locked.pdf", data)
	if !errors.Is(err, pdf.ErrEncrypted) || !errors.Is(err, pdf.ErrInvalidPDF) {
		t.Fatalf("err = %v, want ErrEncrypted (and ErrInvalidPDF)", err)
	}
}

// TestDamagedNeverPanics reads truncated and corrupted copies of the
// samples: each gives a document or an error, never a panic, and the
// engine keeps working.
func TestDamagedNeverPanics(t *testing.T) {
	e := textEngine(t)
	rng := rand.New(rand.NewPCG(1, 2))
	n := 0
	for _, name := range []string{"text.pdf", "mixed.pdf"} {
		data := readSample(t, name)
		for cut := 0; cut < len(data); cut += max(len(data)/12, 1) {
			read(t, e, data[:cut])
			n++
		}
		for range 20 {
			d := bytes.Clone(data)
			for range 1 + rng.IntN(20) {
				d[rng.IntN(len(d))] = byte(rng.IntN(256))
			}
			read(t, e, d)
			n++
		}
	}
	if _, err := e.Read(context.Background(), "text.pdf", readSample(t, "text.pdf")); err != nil {
		t.Fatalf("after %d damaged files: %v", n, err)
	}
}

func read(t *testing.T, e *pdf.Engine, data []byte) {
	t.Helper()
	doc, err := e.Read(context.Background(), "damaged.pdf", data)
	if err != nil && !errors.Is(err, pdf.ErrInvalidPDF) && !errors.Is(err, pdf.ErrEngine) {
		t.Errorf("unexpected error %v", err)
	}
	if err == nil && doc == nil {
		t.Error("nil document and nil error")
	}
}

func FuzzRead(f *testing.F) {
	f.Add(readSample(f, "text.pdf"))
	f.Add([]byte("%PDF-1.4\n1 0 obj << >> endobj trailer << /Root 1 0 R >>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		read(t, textEngine(t), data)
	})
}

func TestLimits(t *testing.T) {
	e := sharedEngine(t, "limits", pdf.WithMaxPages(2), pdf.WithMaxFileSize(40_000))
	_, err := e.Read(context.Background(), "text.pdf", readSample(t, "text.pdf"))
	if !errors.Is(err, pdf.ErrTooManyPages) || !strings.Contains(err.Error(), "text.pdf") {
		t.Errorf("3 pages with WithMaxPages(2): %v", err)
	}
	_, err = e.Read(context.Background(), "scanned.pdf", readSample(t, "scanned.pdf"))
	if !errors.Is(err, pdf.ErrTooLarge) {
		t.Errorf("64 KB with WithMaxFileSize(40000): %v", err)
	}
	_, err = e.ReadFrom(context.Background(), "scanned.pdf", bytes.NewReader(readSample(t, "scanned.pdf")))
	if !errors.Is(err, pdf.ErrTooLarge) {
		t.Errorf("ReadFrom: %v", err)
	}
	if _, err := e.Read(context.Background(), "mixed.pdf", readSample(t, "mixed.pdf")); err != nil {
		t.Errorf("2 pages: %v", err)
	}
}

func TestBadOptions(t *testing.T) {
	for name, o := range map[string]pdf.Option{
		"concurrency": pdf.WithConcurrency(0),
		"dpi":         pdf.WithDPI(5),
		"pages":       pdf.WithMaxPages(0),
		"size":        pdf.WithMaxFileSize(-1),
		"memory":      pdf.WithMaxMemory(1),
		"pixels":      pdf.WithMaxPixels(10),
		"chars":       pdf.WithMinTextChars(0),
		"logger":      pdf.WithLogger(nil),
	} {
		if _, err := pdf.Open(context.Background(), o); !errors.Is(err, chain.ErrConfig) || !strings.Contains(err.Error(), "pdf.Open") {
			t.Errorf("%s: err = %v, want chain.ErrConfig", name, err)
		}
	}
}

// cancelOCR cancels the read's context on its first call: the read stops
// before the next page.
type cancelOCR struct {
	cancel context.CancelFunc
	calls  int
}

func (c *cancelOCR) Recognize(ctx context.Context, img llm.Image) (llm.OCRResult, error) {
	c.calls++
	c.cancel()
	return llm.OCRResult{Text: "x"}, nil
}

func TestCancelBetweenPages(t *testing.T) {
	ocr := &cancelOCR{}
	e := sharedEngine(t, "cancel", pdf.WithOCR(ocr))
	ctx, cancel := context.WithCancel(context.Background())
	ocr.cancel = cancel
	_, err := e.Read(ctx, "scanned.pdf", readSample(t, "scanned.pdf"))
	if !errors.Is(err, context.Canceled) || ocr.calls != 1 {
		t.Fatalf("err = %v after %d OCR calls; want context.Canceled after 1", err, ocr.calls)
	}
	if _, err := e.Read(ctx, "text.pdf", readSample(t, "text.pdf")); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled before the read: %v", err)
	}
}

func TestClosed(t *testing.T) {
	e, err := pdf.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := e.Read(context.Background(), "text.pdf", readSample(t, "text.pdf")); !errors.Is(err, pdf.ErrClosed) {
		t.Errorf("Read after Close: %v", err)
	}
}

func TestBlankPageIsEmpty(t *testing.T) {
	data := testpdf.Build([]testpdf.Page{{}, {Lines: []string{"A page with enough text on it."}}})
	doc, err := textEngine(t).Read(context.Background(), "blank.pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Pages[0].Method != pdf.MethodEmpty || doc.Pages[0].Err != nil || doc.Pages[1].Method != pdf.MethodText {
		t.Errorf("pages %+v", doc.Pages)
	}
	if doc.Err() != nil {
		t.Errorf("Err() = %v", doc.Err())
	}
}

func TestSamplesAreDeterministic(t *testing.T) {
	for _, s := range testpdf.Samples() {
		if !bytes.Equal(s.PDF(), readSample(t, s.Name)) {
			t.Errorf("testdata/%s differs from testpdf.%s: run go generate ./retrieval/pdf", s.Name, s.Name)
		}
		if n := len(readSample(t, s.Name)); n > 300_000 {
			t.Errorf("testdata/%s is %d bytes", s.Name, n)
		}
	}
}

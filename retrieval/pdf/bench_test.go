package pdf_test

import (
	"context"
	"io"
	"testing"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/retrieval/pdf"
)

// Benchmarks report pages/s; the Raw ones run go-pdfium directly (same
// WebAssembly module, same work minus ours) for the ratio.
//
//	go test -run '^$' -bench . -benchmem ./retrieval/pdf

func BenchmarkTextPages(b *testing.B) {
	e := textEngine(b)
	data := readSample(b, "text.pdf")
	ctx := context.Background()
	b.ReportAllocs()
	pages := 0
	for b.Loop() {
		doc, err := e.Read(ctx, "text.pdf", data)
		if err != nil {
			b.Fatal(err)
		}
		pages += len(doc.Pages)
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
}

// nopOCR reads nothing: the benchmark measures rendering and encoding.
type nopOCR struct{}

func (nopOCR) Recognize(context.Context, llm.Image) (llm.OCRResult, error) {
	return llm.OCRResult{Text: "x"}, nil
}

func BenchmarkRasterisePages(b *testing.B) {
	e := sharedEngine(b, "nop-ocr", pdf.WithOCR(nopOCR{}))
	data := readSample(b, "scanned.pdf")
	ctx := context.Background()
	b.ReportAllocs()
	pages := 0
	for b.Loop() {
		doc, err := e.Read(ctx, "scanned.pdf", data)
		if err != nil {
			b.Fatal(err)
		}
		pages += len(doc.Pages)
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
}

// rawPool is go-pdfium's WebAssembly pool, configured as the engine's.
func rawPool(b *testing.B) pdfium.Pool {
	p, err := webassembly.Init(webassembly.Config{MaxIdle: 1, MaxTotal: 1, ReuseWorkers: true, Stdout: io.Discard, Stderr: io.Discard})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = p.Close() })
	return p
}

// rawEach opens data in a raw instance b.N times and calls page for
// every page.
func rawEach(b *testing.B, data []byte, page func(inst pdfium.Pdfium, ref requests.Page)) {
	inst, err := rawPool(b).GetInstance(0)
	if err != nil {
		b.Fatal(err)
	}
	defer inst.Close()
	b.ReportAllocs()
	pages := 0
	for b.Loop() {
		doc, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
		if err != nil {
			b.Fatal(err)
		}
		n, _ := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
		for i := range n.PageCount {
			page(inst, requests.Page{ByIndex: &requests.PageByIndex{Document: doc.Document, Index: i}})
		}
		pages += n.PageCount
		_, _ = inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
}

func BenchmarkRawTextPages(b *testing.B) {
	rawEach(b, readSample(b, "text.pdf"), func(inst pdfium.Pdfium, ref requests.Page) {
		if _, err := inst.GetPageTextStructured(&requests.GetPageTextStructured{Page: ref, Mode: requests.GetPageTextStructuredModeChars}); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkRawPlainTextPages(b *testing.B) {
	rawEach(b, readSample(b, "text.pdf"), func(inst pdfium.Pdfium, ref requests.Page) {
		if _, err := inst.GetPageText(&requests.GetPageText{Page: ref}); err != nil {
			b.Fatal(err)
		}
	})
}

func BenchmarkRawRenderPages(b *testing.B) {
	rawEach(b, readSample(b, "scanned.pdf"), func(inst pdfium.Pdfium, ref requests.Page) {
		r, err := inst.RenderPageInDPI(&requests.RenderPageInDPI{Page: ref, DPI: pdf.DefaultDPI, ImageFormat: requests.RenderImageFormatGrayscale})
		if err != nil {
			b.Fatal(err)
		}
		r.Cleanup()
	})
}

// BenchmarkOpenWarm is a start with the compiled module in the cache.
func BenchmarkOpenWarm(b *testing.B) {
	dir := b.TempDir()
	e, err := pdf.Open(context.Background(), pdf.WithCacheDir(dir))
	if err != nil {
		b.Fatal(err)
	}
	_ = e.Close()
	for b.Loop() {
		e, err := pdf.Open(context.Background(), pdf.WithCacheDir(dir))
		if err != nil {
			b.Fatal(err)
		}
		_ = e.Close()
	}
}

// BenchmarkOpenCold is a start that compiles the module (no cache): run
// it with -benchtime=1x, it takes seconds.
func BenchmarkOpenCold(b *testing.B) {
	for b.Loop() {
		e, err := pdf.Open(context.Background(), pdf.WithCacheDir(""))
		if err != nil {
			b.Fatal(err)
		}
		_ = e.Close()
	}
}

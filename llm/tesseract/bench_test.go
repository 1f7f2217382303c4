package tesseract_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chorus-go/chorus/llm/tesseract"
)

// BenchmarkTesseractInvoice reads invoice.png once per op: ns/op is the
// time per page, including starting the process.
func BenchmarkTesseractInvoice(b *testing.B) {
	needTesseract(b)
	eng, err := tesseract.New()
	if err != nil {
		b.Fatal(err)
	}
	img := readImage(b, "invoice")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := eng.Recognize(ctx, img); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTesseractInvoiceParallel reads invoice.png from GOMAXPROCS
// goroutines: ns/op is the time per page at full throughput.
func BenchmarkTesseractInvoiceParallel(b *testing.B) {
	needTesseract(b)
	eng, err := tesseract.New()
	if err != nil {
		b.Fatal(err)
	}
	img := readImage(b, "invoice")
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := eng.Recognize(context.Background(), img); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkParseTSV parses tesseract's TSV for invoice.png.
func BenchmarkParseTSV(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "invoice.tsv"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tesseract.ParseTSV(data); err != nil {
			b.Fatal(err)
		}
	}
}

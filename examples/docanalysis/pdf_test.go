package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// expectedPDF are the types, key fields and pages of the bundled PDFs:
// northwind.pdf has a text layer, its invoice on page 1 of 3; fax.pdf is
// two scanned pages, a cover sheet and then the invoice.
var expectedPDF = map[string]struct {
	typ     DocType
	fields  map[string]string
	methods []string // how each page is read
	page    int      // the page every field is found on
}{
	"northwind.pdf": {Invoice, map[string]string{"number": "INV-3107", "date": "2026-05-02", "bill to": "Blue Harbor Trading Ltd", "total": "997.00 EUR"}, []string{"text", "text", "text"}, 1},
	"fax.pdf":       {Invoice, map[string]string{"number": "INV-2041", "date": "2026-03-14", "bill to": "Acme Widgets Ltd", "total": "1,234.50 EUR"}, []string{"ocr", "ocr"}, 2},
}

// checkPDF checks an analysed bundled PDF: type, fields, how each page
// was read and the page of every field's provenance.
func checkPDF(t *testing.T, d Analysis) {
	t.Helper()
	want, ok := expectedPDF[filepath.Base(d.Name)]
	if !ok {
		t.Errorf("unexpected document %q", d.Name)
		return
	}
	if d.Error != "" {
		t.Errorf("%s: %s", d.Name, d.Error)
		return
	}
	if d.Type != want.typ || d.Source != "pdf" {
		t.Errorf("%s: type %q source %q, want %q pdf", d.Name, d.Type, d.Source, want.typ)
	}
	got := map[string]string{}
	for _, p := range d.Fields.Pairs() {
		got[p[0]] = p[1]
	}
	for k, v := range want.fields {
		if got[k] != v {
			t.Errorf("%s: %s = %q, want %q", d.Name, k, got[k], v)
		}
	}
	if len(d.Pages) != len(want.methods) {
		t.Fatalf("%s: pages %+v, want %v", d.Name, d.Pages, want.methods)
	}
	for i, p := range d.Pages {
		if p.Number != i+1 || p.Method != want.methods[i] || p.Chars == 0 {
			t.Errorf("%s: page %d is %+v, want number %d read by %s", d.Name, i+1, p, i+1, want.methods[i])
		}
	}
	if len(d.Provenance) < len(want.fields) {
		t.Errorf("%s: %d provenance entries, want at least %d", d.Name, len(d.Provenance), len(want.fields))
	}
	for _, p := range d.Provenance {
		if p.Page != want.page {
			t.Errorf("%s: %s found on page %d, want %d", d.Name, p.Field, p.Page, want.page)
		}
	}
}

// refusingOCR is an OCR engine that must not be called.
type refusingOCR struct{ t *testing.T }

func (r refusingOCR) Recognize(context.Context, llm.Image) (llm.OCRResult, error) {
	r.t.Error("OCR called for a PDF with a text layer")
	return llm.OCRResult{}, errors.New("no OCR here")
}

func (refusingOCR) Describe() chain.Node { return chain.Node{Name: "refusing"} }

// analyseFile runs the document pipeline on one bundled sample.
func analyseFile(t *testing.T, name string, ocr llm.OCR) Analysis {
	t.Helper()
	noModels(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	p, err := Build(ctx, Config{Models: "none", OCR: ocr})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	in, err := readInput("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	a, err := p.Document.Run(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// A PDF with a text layer is read from it: no OCR, every page kept,
// the fields found on page 1.
func TestPDFText(t *testing.T) {
	a := analyseFile(t, "northwind.pdf", refusingOCR{t})
	a.Name = "northwind.pdf"
	checkPDF(t, a)
}

// A scanned PDF is rendered and read by Tesseract page by page: the
// invoice on page 2 gives its fields, and their provenance says page 2.
func TestPDFScanned(t *testing.T) {
	a := analyseFile(t, "fax.pdf", needTesseract(t))
	a.Name = "fax.pdf"
	checkPDF(t, a)
	for _, p := range a.Provenance {
		for _, w := range p.Words {
			if w.Box == nil {
				t.Errorf("%s: word %q has no box", p.Field, w.Text)
			}
		}
	}
}

// A corrupt PDF is a failed document with the PDF reader's error, not a
// panic.
func TestPDFCorrupt(t *testing.T) {
	noModels(t)
	ctx := context.Background()
	p, err := Build(ctx, Config{Models: "none", OCR: refusingOCR{t}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	_, err = p.Document.Run(ctx, Input{Name: "bad.pdf", PDF: []byte("%PDF-1.4 not really")})
	if err == nil || !strings.Contains(err.Error(), "pdf") {
		t.Fatalf("err = %v, want the PDF reader's", err)
	}
}

func TestPageAt(t *testing.T) {
	starts := []pageStart{{0, 1}, {10, 3}}
	for off, want := range map[int]int{0: 1, 9: 1, 10: 3, 50: 3} {
		if got := pageAt(starts, off); got != want {
			t.Errorf("pageAt(%d) = %d, want %d", off, got, want)
		}
	}
	if got := pageAt(nil, 5); got != 1 {
		t.Errorf("pageAt(nil) = %d, want 1", got)
	}
}

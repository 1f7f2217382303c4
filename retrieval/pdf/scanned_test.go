package pdf_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chorus-go/chorus/retrieval/loader"
	"github.com/chorus-go/chorus/retrieval/pdf"
)

func TestScannedWithoutOCRIsUnread(t *testing.T) {
	doc, err := textEngine(t).Read(context.Background(), "scanned.pdf", readSample(t, "scanned.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range doc.Pages {
		if p.Number != i+1 || p.Method != pdf.MethodUnread || p.Text != "" || p.ImageCoverage < 0.99 || p.TextChars != 0 {
			t.Errorf("page %d: %+v", i+1, p)
		}
		var pe *pdf.Error
		if !errors.Is(p.Err, pdf.ErrNoOCR) || !errors.As(p.Err, &pe) || pe.Page != i+1 || pe.Name != "scanned.pdf" {
			t.Errorf("page %d error %v", i+1, p.Err)
		}
	}
	if err := doc.Err(); !errors.Is(err, pdf.ErrNoOCR) || !strings.Contains(err.Error(), "scanned.pdf page 2") {
		t.Errorf("Err() = %v", err)
	}
	docs, err := textEngine(t).Loader().Load(context.Background(), "scanned.pdf", strings.NewReader(string(readSample(t, "scanned.pdf"))))
	if len(docs) != 0 || !errors.Is(err, pdf.ErrNoOCR) {
		t.Errorf("Loader: %d documents, error %v", len(docs), err)
	}
}

// keyWords are words Tesseract must find on each page of scanned.pdf
// (testimages.Invoice and testimages.Letter).
var keyWords = [][]string{
	{"INVOICE", "INV-2041", "2026-03-14", "Acme", "1,234.50"},
	{"Chorus", "Analytics", "Smith", "shipped", "Carter"},
}

func TestScannedWithTesseract(t *testing.T) {
	e := ocrEngine(t)
	doc, err := e.Read(context.Background(), "scanned.pdf", readSample(t, "scanned.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(doc.Pages) != 2 {
		t.Fatalf("%d pages", len(doc.Pages))
	}
	for i, p := range doc.Pages {
		checkOCRPage(t, p, i+1, keyWords[i])
	}
	// The words of the other page are not on this one.
	if strings.Contains(doc.Pages[0].Text, "Carter") || strings.Contains(doc.Pages[1].Text, "INV-2041") {
		t.Error("pages mixed up")
	}
}

func checkOCRPage(t *testing.T, p pdf.Page, number int, words []string) {
	t.Helper()
	if p.Number != number || p.Method != pdf.MethodOCR || p.DPI != pdf.DefaultDPI || p.Confidence < 0.7 {
		t.Errorf("page %d: number %d method %s dpi %d confidence %.2f", number, p.Number, p.Method, p.DPI, p.Confidence)
	}
	for _, w := range words {
		if !strings.Contains(p.Text, w) {
			t.Errorf("page %d: %q not found in %q", number, w, p.Text)
		}
	}
	if len(p.Words) == 0 || p.Words[0].Box.Empty() {
		t.Errorf("page %d: no word boxes", number)
	}
}

func TestMixedPageByPage(t *testing.T) {
	data := readSample(t, "mixed.pdf")
	t.Run("without OCR", func(t *testing.T) {
		doc, err := textEngine(t).Read(context.Background(), "mixed.pdf", data)
		if err != nil {
			t.Fatal(err)
		}
		if doc.Pages[0].Method != pdf.MethodText || !strings.Contains(doc.Pages[0].Text, "Okafor") {
			t.Errorf("page 1: %s %q", doc.Pages[0].Method, doc.Pages[0].Text)
		}
		if doc.Pages[1].Method != pdf.MethodUnread || !errors.Is(doc.Pages[1].Err, pdf.ErrNoOCR) {
			t.Errorf("page 2: %s %v", doc.Pages[1].Method, doc.Pages[1].Err)
		}
		docs := pdf.Documents(doc)
		if len(docs) != 1 || docs[0].ID != "mixed.pdf#p1" {
			t.Errorf("documents %v", docs)
		}
	})
	t.Run("with Tesseract", func(t *testing.T) {
		doc, err := ocrEngine(t).Read(context.Background(), "mixed.pdf", data)
		if err != nil {
			t.Fatal(err)
		}
		if doc.Pages[0].Method != pdf.MethodText || doc.Pages[0].Confidence != 1 {
			t.Errorf("page 1: %s", doc.Pages[0].Method)
		}
		checkOCRPage(t, doc.Pages[1], 2, keyWords[0])
		docs := pdf.Documents(doc)
		if len(docs) != 2 || docs[1].Metadata["method"] != "ocr" || docs[1].Metadata["page"] != 2 {
			t.Errorf("documents %v", docs)
		}
	})
}

// TestDirWithPDFLoader walks a directory with the PDF loader registered:
// text pages become documents, a scan without OCR is a file error naming
// the file and page, and the other files are still read.
func TestDirWithPDFLoader(t *testing.T) {
	root := t.TempDir()
	for _, name := range []string{"text.pdf", "scanned.pdf"} {
		if err := os.WriteFile(filepath.Join(root, name), readSample(t, name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "notes.txt"), []byte("some notes"), 0o644); err != nil {
		t.Fatal(err)
	}
	var got []string
	for f, err := range loader.Dir(context.Background(), root, loader.WithLoader(".PDF", textEngine(t).Loader())) {
		line := filepath.Base(f.Path)
		for _, d := range f.Docs {
			line += fmt.Sprintf(" %s:p%v/%v", filepath.Base(d.ID), d.Metadata[loader.MetaPage], d.Metadata[loader.MetaPages])
			if d.Metadata[loader.MetaSize] == nil || d.Metadata[loader.MetaModified] == nil {
				t.Errorf("%s: no file metadata", d.ID)
			}
		}
		if err != nil {
			if !errors.Is(err, pdf.ErrNoOCR) || !strings.Contains(err.Error(), "scanned.pdf page 1") {
				t.Errorf("error %v", err)
			}
			line += " ErrNoOCR"
		}
		got = append(got, line)
	}
	want := []string{
		"notes.txt notes.txt:p<nil>/<nil>",
		"scanned.pdf ErrNoOCR",
		"text.pdf text.pdf#p1:p1/3 text.pdf#p2:p2/3 text.pdf#p3:p3/3",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("walk (-want +got):\n%s", diff)
	}
}

package pdf_test

import (
	"context"
	"image"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chorus-go/chorus/internal/testpdf"
	"github.com/chorus-go/chorus/retrieval/pdf"
)

// wantLines is what a text layer of lines reads as: headings without
// their marker, spaces collapsed, blank lines dropped.
func wantLines(lines []string) string {
	var out []string
	for _, l := range lines {
		l = strings.Join(strings.Fields(strings.TrimPrefix(l, "# ")), " ")
		if l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestTextPDF(t *testing.T) {
	doc, err := textEngine(t).Read(context.Background(), "text.pdf", readSample(t, "text.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Err(); err != nil {
		t.Fatalf("Err() = %v", err)
	}
	want := [][]string{testpdf.InvoiceLines(), testpdf.LetterLines(), testpdf.TermsLines()}
	if len(doc.Pages) != len(want) {
		t.Fatalf("%d pages, want %d", len(doc.Pages), len(want))
	}
	for i, p := range doc.Pages {
		if p.Number != i+1 || p.Method != pdf.MethodText || p.Confidence != 1 || p.DPI != pdf.DefaultDPI {
			t.Errorf("page %d: number %d method %s confidence %v dpi %d", i+1, p.Number, p.Method, p.Confidence, p.DPI)
		}
		if diff := cmp.Diff(wantLines(want[i]), p.Text); diff != "" {
			t.Errorf("page %d text (-want +got):\n%s", i+1, diff)
		}
		if p.Width != testpdf.PageWidth || p.Height != testpdf.PageHeight {
			t.Errorf("page %d size %vx%v", i+1, p.Width, p.Height)
		}
		checkWords(t, p)
	}
	if got := strings.Count(doc.Text(), "\f"); got != 2 {
		t.Errorf("Text() has %d form feeds, want 2", got)
	}
}

// checkWords checks that the words rebuild the text, lie on the page in
// reading order, and that the first word sits at the left margin of the
// first line.
func checkWords(t *testing.T, p pdf.Page) {
	t.Helper()
	scale := float64(p.DPI) / 72
	page := image.Rect(0, 0, int(p.Width*scale)+1, int(p.Height*scale)+1)
	var texts []string
	for i, w := range p.Words {
		texts = append(texts, w.Text)
		if w.Confidence != 1 || w.Box.Empty() || !w.Box.In(page) {
			t.Errorf("page %d word %d %q: confidence %v box %v (page %v)", p.Number, i, w.Text, w.Confidence, w.Box, page)
		}
		if i == 0 {
			continue
		}
		prev := p.Words[i-1]
		switch {
		case w.Line == prev.Line && w.Box.Min.X <= prev.Box.Max.X:
			t.Errorf("page %d word %q not right of %q: %v %v", p.Number, w.Text, prev.Text, w.Box, prev.Box)
		case w.Line == prev.Line+1 && w.Box.Min.Y <= prev.Box.Min.Y:
			t.Errorf("page %d line %d word %q not below the line before: %v %v", p.Number, w.Line, w.Text, w.Box, prev.Box)
		case w.Line != prev.Line && w.Line != prev.Line+1:
			t.Errorf("page %d word %q line %d after line %d", p.Number, w.Text, w.Line, prev.Line)
		}
	}
	if got, want := strings.Join(texts, " "), strings.Join(strings.Fields(p.Text), " "); got != want {
		t.Errorf("page %d words %q, text %q", p.Number, got, want)
	}
	// The first word starts at the 1-inch margin (72 pt), its baseline one
	// inch below the top: the box spans it.
	first := p.Words[0].Box
	margin := int(testpdf.Margin * scale)
	if first.Min.X < margin-2 || first.Min.X > margin+8 || first.Min.Y > margin || first.Max.Y < margin-2 {
		t.Errorf("page %d first word box %v, want it at (%d, %d)", p.Number, first, margin, margin)
	}
}

func TestDocumentsOnePerPage(t *testing.T) {
	doc, err := textEngine(t).Read(context.Background(), "dir/text.pdf", readSample(t, "text.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	docs := pdf.Documents(doc)
	if len(docs) != 3 {
		t.Fatalf("%d documents, want 3", len(docs))
	}
	for i, d := range docs {
		wantMD := map[string]any{"source": "dir/text.pdf", "format": "pdf", "page": i + 1, "pages": 3, "method": "text"}
		if want := "dir/text.pdf#p" + string(rune('1'+i)); d.ID != want {
			t.Errorf("ID %q, want %q", d.ID, want)
		}
		if diff := cmp.Diff(wantMD, d.Metadata); diff != "" {
			t.Errorf("document %d metadata (-want +got):\n%s", i, diff)
		}
		if err := d.Validate(0, 0); err == nil {
			t.Errorf("document %d validates without an embedding", i)
		}
	}
}

func TestConcurrentReads(t *testing.T) {
	e := textEngine(t)
	data := readSample(t, "text.pdf")
	want, err := e.Read(context.Background(), "a", data)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 6)
	for range 6 {
		go func() {
			doc, err := e.Read(context.Background(), "a", data)
			if err == nil && doc.Text() != want.Text() {
				err = errNotSame
			}
			errs <- err
		}()
	}
	for range 6 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

type testError string

func (e testError) Error() string { return string(e) }

const errNotSame = testError("concurrent read differs")

func TestLatin1AndEscapes(t *testing.T) {
	data := testpdf.Build([]testpdf.Page{{Lines: []string{`Price (net) \ 5 € café ✓ Müller`}}})
	doc, err := textEngine(t).Read(context.Background(), "latin1.pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	// € and ✓ are outside Latin-1: the writer puts '?' for them.
	if want := `Price (net) \ 5 ? café ? Müller`; doc.Pages[0].Text != want {
		t.Errorf("text %q, want %q", doc.Pages[0].Text, want)
	}
}

// TestRotatedPageBoxes reads a page displayed turned by 90 degrees: the
// page is landscape, its lines run top to bottom in the rendered image, so
// long words' boxes are taller than wide, and all lie on the page.
func TestRotatedPageBoxes(t *testing.T) {
	data := testpdf.Build([]testpdf.Page{{Lines: testpdf.InvoiceLines(), Rotate: 90}})
	doc, err := textEngine(t).Read(context.Background(), "rotated.pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	p := doc.Pages[0]
	if p.Width != testpdf.PageHeight || p.Height != testpdf.PageWidth {
		t.Fatalf("size %vx%v, want landscape", p.Width, p.Height)
	}
	scale := float64(p.DPI) / 72
	page := image.Rect(0, 0, int(p.Width*scale)+1, int(p.Height*scale)+1)
	for _, w := range p.Words {
		if !w.Box.In(page) {
			t.Errorf("%q box %v off the page %v", w.Text, w.Box, page)
		}
		if len(w.Text) >= 6 && w.Box.Dx() >= w.Box.Dy() {
			t.Errorf("%q box %v is not vertical", w.Text, w.Box)
		}
	}
}

package pdf_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/chorus-go/chorus/retrieval/pdf"
)

// Read a PDF with a text layer: page numbers, how each page was read, its
// first line and the box of its first word (pixels at 300 DPI). Scanned
// pages would need pdf.WithOCR(tesseract.MustNew()).
func Example() {
	ctx := context.Background()
	engine, err := pdf.Open(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer engine.Close()

	doc, err := engine.ReadFile(ctx, "testdata/text.pdf")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range doc.Pages {
		first, _, _ := strings.Cut(p.Text, "\n")
		fmt.Printf("page %d (%s): %s %v\n", p.Number, p.Method, first, p.Words[0].Box)
	}
	for _, d := range pdf.Documents(doc) {
		fmt.Println(d.ID, d.Metadata["page"], d.Metadata["pages"])
	}
	// Output:
	// page 1 (text): INVOICE (305,245)-(605,301)
	// page 2 (text): Northwind Supplies GmbH (304,264)-(522,301)
	// page 3 (text): Terms and conditions (301,246)-(522,301)
	// testdata/text.pdf#p1 1 3
	// testdata/text.pdf#p2 2 3
	// testdata/text.pdf#p3 3 3
}

package testpdf

import "github.com/chorus-go/chorus/internal/testimages"

// Sample is a ready-made PDF: its file name and the pages it is built
// from (the ground truth of the tests).
type Sample struct {
	// Name is the file name, such as "text.pdf".
	Name string
	// Pages are the pages given to Build.
	Pages []Page
}

// PDF builds the sample: the same bytes on every call.
func (s Sample) PDF() []byte { return Build(s.Pages) }

// InvoiceLines is page 1 of Text: an invoice.
func InvoiceLines() []string {
	return []string{
		"# INVOICE",
		"Northwind Supplies GmbH, Hafenstrasse 7, 20457 Hamburg",
		"",
		"Invoice number: INV-3107",
		"Date: 2026-05-02",
		"Bill to: Blue Harbor Trading Ltd",
		"",
		"Pallet jack, 2 x 389.00   778.00",
		"Safety gloves (box), 12 x 14.50   174.00",
		"Delivery   45.00",
		"",
		"Total due: 997.00 EUR",
		"Payment within 30 days to IBAN DE44 5001 0517 5407 3249 31",
	}
}

// LetterLines is page 2 of Text: a cover letter.
func LetterLines() []string {
	return []string{
		"Northwind Supplies GmbH",
		"",
		"2 May 2026",
		"",
		"Dear Mr Okafor,",
		"",
		"Please find enclosed invoice INV-3107 for the pallet jacks",
		"delivered to your warehouse in Rotterdam on 28 April.",
		"",
		"Kind regards,",
		"Greta Lindqvist, Accounts Receivable",
	}
}

// TermsLines is page 3 of Text: payment terms.
func TermsLines() []string {
	return []string{
		"# Terms and conditions",
		"1. Late payments accrue interest of 1.5 percent per month.",
		"2. Goods remain our property until paid in full.",
		"3. Disputes are settled by the courts of Hamburg.",
	}
}

// Text is text.pdf: three pages with a text layer (an invoice, a letter,
// payment terms) in Helvetica.
func Text() Sample {
	return Sample{Name: "text.pdf", Pages: []Page{
		{Lines: InvoiceLines()},
		{Lines: LetterLines()},
		{Lines: TermsLines()},
	}}
}

// Scanned is scanned.pdf: two pages that are only images (no text
// layer): testimages.Invoice and testimages.Letter at 200 DPI, as a
// scanner writes them.
func Scanned() Sample {
	return Sample{Name: "scanned.pdf", Pages: []Page{
		{Image: testimages.Invoice().Image(), DPI: 200},
		{Image: testimages.Letter().Image(), DPI: 200},
	}}
}

// Mixed is mixed.pdf: page 1 has a text layer (LetterLines), page 2 is
// a scan (testimages.Invoice).
func Mixed() Sample {
	return Sample{Name: "mixed.pdf", Pages: []Page{
		{Lines: LetterLines()},
		{Image: testimages.Invoice().Image(), DPI: 200},
	}}
}

// Samples returns every ready-made sample, in a fixed order.
func Samples() []Sample { return []Sample{Text(), Scanned(), Mixed()} }

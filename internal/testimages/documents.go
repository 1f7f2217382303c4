package testimages

import (
	"image"
	"strings"
)

// Document is a ready-made test page: its name (the PNG's base name), the
// lines it is rendered from, the layout, and how it is spoiled.
type Document struct {
	// Name is the file's base name, such as "invoice".
	Name string
	// Lines are the lines given to Render.
	Lines []string
	// Options is Render's layout.
	Options Options
	// Rotate turns the page by this many degrees after rendering.
	Rotate float64
	// Noise, if not nil, degrades the page after the rotation.
	Noise *Noise
}

// Image renders the document: the same pixels on every call.
func (d Document) Image() *image.Gray {
	img := Render(d.Lines, d.Options)
	if d.Rotate != 0 {
		img = Rotate(img, d.Rotate)
	}
	if d.Noise != nil {
		img = Degrade(img, *d.Noise)
	}
	return img
}

// PNG renders the document and encodes it as PNG.
func (d Document) PNG() ([]byte, error) { return EncodePNG(d.Image()) }

// Text returns the ground truth: the text a perfect OCR engine reads, one
// line per rendered line, headings without their marker, a tab's
// alignment gap as one space, and no blank lines.
func (d Document) Text() string {
	var out []string
	for _, l := range d.Lines {
		l = strings.TrimPrefix(l, HeadingPrefix)
		l = strings.Join(strings.Fields(l), " ")
		if l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// Invoice is a clean rendered invoice (invoice.png): number INV-2041,
// dated 2026-03-14, billed to Acme Widgets Ltd, four items, total due
// 1,234.50 EUR.
func Invoice() Document {
	return Document{
		Name: "invoice",
		Lines: []string{
			"# INVOICE",
			"Northwind Supplies GmbH, Hafenstrasse 7, 20457 Hamburg",
			"",
			"Invoice number: INV-2041",
			"Date: 2026-03-14",
			"Bill to: Acme Widgets Ltd",
			"",
			"Widget A, 10 x 45.00\t450.00",
			"Widget B (blue), 5 x 64.90\t324.50",
			"Installation service\t300.00",
			"Shipping and handling\t160.00",
			"",
			"Total due: 1,234.50 EUR",
			"Payment within 30 days to IBAN DE44 5001 0517 5407 3249 31",
		},
		Options: Options{Font: Regular, Size: 12, DPI: 200},
	}
}

// NoisyReceipt is a shop receipt scanned badly (receipt_noisy.png): small
// monospaced text, uneven paper, blur and specks, turned by 2 degrees.
// Its total is 22.66 EUR.
func NoisyReceipt() Document {
	return Document{
		Name: "receipt_noisy",
		Lines: []string{
			"# CORNER SHOP",
			"12 High Street, Springfield",
			"Receipt 0042  2026-03-14 09:41",
			"",
			"Milk 1L              1.29",
			"Bread                2.49",
			"Coffee beans        11.90",
			"Apples 1kg           3.20",
			"",
			"Subtotal            18.88",
			"VAT 20%              3.78",
			"TOTAL EUR           22.66",
			"",
			"Paid by card",
			"Thank you for shopping!",
		},
		Options: Options{Font: Mono, Size: 9, DPI: 200, HeadingScale: 1.3},
		Rotate:  2,
		Noise:   &Noise{Seed: 42, Paper: 0.22, Blur: 0.7, SaltPepper: 0.008},
	}
}

// Letter is a short business letter (letter.png) from Chorus Analytics
// Ltd to Ms Smith.
func Letter() Document {
	return Document{
		Name: "letter",
		Lines: []string{
			"Chorus Analytics Ltd",
			"1 Market Square, Cambridge CB2 3QJ",
			"",
			"14 March 2026",
			"",
			"Dear Ms Smith,",
			"",
			"Thank you for your letter of 2 March. We are pleased to",
			"confirm that your order has been shipped and should arrive",
			"within five working days.",
			"",
			"Please do not hesitate to contact us if you have any",
			"questions about your delivery.",
			"",
			"Yours sincerely,",
			"",
			"John Carter",
			"Customer Service",
		},
		Options: Options{Font: Regular, Size: 11, DPI: 200},
	}
}

// Documents returns every ready-made document, in a fixed order.
func Documents() []Document {
	return []Document{Invoice(), NoisyReceipt(), Letter()}
}

package main

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/internal/testimages"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/tesseract"
)

// find's normalisation: numbers, dates, case, whitespace and punctuation
// in a value and in the document compare equal when they say the same.
func TestFindNormalises(t *testing.T) {
	for _, c := range []struct {
		text, value string
		want        string // the document's words found, joined by spaces; "" for none
		why         string
	}{
		{"Total due: 1,234.50 EUR", "1234.5", "1,234.50", ""},
		{"Total due: 1,234.50 EUR", "1,234.50", "1,234.50", ""},
		{"Total due: 1.234,50 EUR", "1,234.50", "1.234,50", ""},
		{"Summe 1 234,50 EUR", "1234.50", "1 234,50", ""},
		{"Total: €1,234.50", "1234.50 EUR", "€1,234.50", ""},
		{"Total: €12.00", "EUR", "€12.00", ""},
		{"Date: 2026-03-14", "14 March 2026", "2026-03-14", ""},
		{"Dated 14 March 2026, London", "2026-03-14", "14 March 2026,", ""},
		{"Signed on 14/03/2026.", "2026-03-14", "14/03/2026.", ""},
		{"effect on March 14, 2026 (the", "2026-03-14", "March 14, 2026", ""},
		{"Bill to: Acme Widgets Ltd,\nLondon", "acme   WIDGETS ltd", "Acme Widgets Ltd,", ""},
		{"Invoice number: INV-2041", "inv 2041", "INV-2041", ""},
		{"between Northwind\nSupplies GmbH (the Supplier)", "Northwind Supplies GmbH", "Northwind Supplies GmbH", ""},
		{"Total due: 1,234.50 EUR", "HELLO, I AM A TINY MODEL.", "", reasonNotFound},
		{"Widget A, 10 x 45.00", "x", "", reasonTooShort},
		{"Total due: 1,234.50 EUR", "9,999.00", "", reasonNotFound},
		{"Date: 2026-03-14", "2026-03-15", "", reasonNotFound},
		{"Total 1,234.50", "1,234", "", reasonNotFound},
		{"Acme Widgets Limited", "Acme Widgets Ltd", "", reasonNotFound},
	} {
		d := newGroundDoc(c.text, nil)
		s, why := d.find(c.value)
		got := ""
		if why == "" {
			words, start, end, _ := d.source(s)
			var ws []string
			for _, w := range words {
				ws = append(ws, w.Text)
				if w.Box != nil || string([]rune(c.text)[w.Start:w.End]) != w.Text {
					t.Errorf("%q in %q: word %+v", c.value, c.text, w)
				}
			}
			got = strings.Join(ws, " ")
			if span := string([]rune(c.text)[start:end]); strings.Join(strings.Fields(span), " ") != got {
				t.Errorf("%q in %q: offsets %d-%d give %q", c.value, c.text, start, end, span)
			}
		}
		if got != c.want || why != c.why {
			t.Errorf("find(%q) in %q = %q, %q; want %q, %q", c.value, c.text, got, why, c.want, c.why)
		}
	}
}

// ocrWords reads lines as fakeTSV writes them: their words, with boxes
// and confidences, and the text an OCR engine gives.
func ocrWords(t *testing.T, lines []string) llm.OCRResult {
	t.Helper()
	r, err := (tsvOCR{fakeTSV(lines)}).Recognize(t.Context(), llm.Image{})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// A multi-word value of a scan points at each of its words, with its box
// and confidence, and at its place in the text.
func TestFindBoxes(t *testing.T) {
	r := ocrWords(t, testimages.Invoice().Lines)
	r.Words[slices.IndexFunc(r.Words, func(w llm.Word) bool { return w.Text == "Widgets" })].Confidence = 0.5
	d := newGroundDoc(r.Text, r.Words)
	s, why := d.find("Acme Widgets Ltd")
	if why != "" {
		t.Fatal(why)
	}
	words, start, end, conf := d.source(s)
	if got := string([]rune(r.Text)[start:end]); got != "Acme Widgets Ltd" {
		t.Errorf("offsets %d-%d give %q", start, end, got)
	}
	// The line "Bill to: Acme Widgets Ltd" is the 6th (index 5): y = 100;
	// words start at x = 10 and are 10 px a character, 10 px apart.
	want := []SourceWord{
		{Text: "Acme", Box: &Box{100, 100, 140, 116}},
		{Text: "Widgets", Box: &Box{150, 100, 220, 116}},
		{Text: "Ltd", Box: &Box{230, 100, 260, 116}},
	}
	if len(words) != len(want) {
		t.Fatalf("words %+v", words)
	}
	for i, w := range words {
		if w.Text != want[i].Text || *w.Box != *want[i].Box || w.End-w.Start != len(w.Text) {
			t.Errorf("word %d: %+v, box %+v; want %+v, box %+v", i, w, *w.Box, want[i], *want[i].Box)
		}
	}
	if conf != 0.5 {
		t.Errorf("confidence %v, want the lowest word's, 0.5", conf)
	}
}

// ground keeps a model's values the document says, with their
// provenance, and replaces the others by the rules' values, saying why.
func TestGroundInvoice(t *testing.T) {
	r := ocrWords(t, testimages.Invoice().Lines)
	rules := Fields{Invoice: &InvoiceFields{Number: "INV-2041", Date: "2026-03-14", BillTo: "Acme Widgets Ltd", Total: "1,234.50", Currency: "EUR"}}
	model := Fields{Invoice: &InvoiceFields{Number: "x", Date: "2026-03-14", BillTo: "ACME Widgets Ltd.", Total: "HELLO, I AM A TINY MODEL.", Currency: "EUR"}}
	got, prov, rej := ground(newGroundDoc(r.Text, r.Words), "openai:m", model, rules)
	want := InvoiceFields{Number: "INV-2041", Date: "2026-03-14", BillTo: "ACME Widgets Ltd.", Total: "1,234.50", Currency: "EUR"}
	if *got.Invoice != want {
		t.Errorf("fields %+v, want %+v", *got.Invoice, want)
	}
	if model.Invoice.Number != "x" {
		t.Error("ground changed its input")
	}
	if len(rej) != 2 || rej[0].Field != "number" || rej[0].Reason != reasonTooShort || rej[1].Field != "total" || rej[1].Used != "1,234.50" {
		t.Fatalf("rejected %+v", rej)
	}
	if s := rej[1].String(); s != "total: model said 'HELLO, I AM A TINY MODEL.' — not found in the document; used the rules' value (1,234.50)" {
		t.Errorf("rejection says %q", s)
	}
	by := map[string]Provenance{}
	for _, p := range prov {
		by[p.Field] = p
	}
	for field, w := range map[string]struct{ by, words string }{
		"number":   {"rules", "INV-2041"},
		"date":     {"openai:m", "2026-03-14"},
		"bill_to":  {"openai:m", "Acme Widgets Ltd"},
		"total":    {"rules", "1,234.50"},
		"currency": {"openai:m", "EUR"},
	} {
		p, ok := by[field]
		if !ok {
			t.Errorf("no provenance for %s", field)
			continue
		}
		var ws []string
		for _, x := range p.Words {
			ws = append(ws, x.Text)
			if x.Box == nil || x.Confidence != 0.91 {
				t.Errorf("%s: word %+v has no box or confidence", field, x)
			}
		}
		if p.By != w.by || strings.Join(ws, " ") != w.words || p.Page != 1 {
			t.Errorf("%s: provenance %+v; want by %s, words %q", field, p, w.by, w.words)
		}
	}

	// Lists: one element the document does not say makes the list the
	// rules'.
	text := "This Agreement is made between Northwind Supplies GmbH and Acme Widgets Ltd."
	c, prov, rej := ground(newGroundDoc(text, nil), "m", Fields{Contract: &ContractFields{Parties: []string{"Northwind Supplies GmbH", "Tiny Model Inc"}}},
		Fields{Contract: &ContractFields{Parties: []string{"Northwind Supplies GmbH", "Acme Widgets Ltd"}}})
	if !slices.Equal(c.Contract.Parties, []string{"Northwind Supplies GmbH", "Acme Widgets Ltd"}) || len(rej) != 1 || rej[0].Field != "parties[1]" || len(prov) != 2 || prov[1].Field != "parties[1]" || prov[1].By != "rules" {
		t.Errorf("contract: %+v, %+v, %+v", c.Contract, rej, prov)
	}
}

// The rules' own fields are never rejected; those found carry their
// provenance.
func TestGroundRules(t *testing.T) {
	text := "Dear Ms Smith,\nthanks.\nYours sincerely,\nJohn Carter"
	f := Fields{Letter: &LetterFields{Recipient: "Ms Smith", Sender: "John Carter", Subject: "nowhere"}}
	got, prov, rej := ground(newGroundDoc(text, nil), "rules", f, Fields{})
	if len(rej) != 0 || len(prov) != 2 || got.Letter.Subject != "nowhere" || prov[1].Start != strings.Index(text, "John") {
		t.Errorf("%+v, %+v, %+v", got.Letter, prov, rej)
	}
}

// tsvOCR is an OCR engine that reads every image as the TSV it holds.
type tsvOCR struct{ tsv string }

func (o tsvOCR) Recognize(_ context.Context, _ llm.Image) (llm.OCRResult, error) {
	return tesseract.ParseTSV([]byte(o.tsv))
}

package main

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/retrieval"
)

// The rules on the samples' ground truth, and on texts written otherwise.
func TestRuleExtractors(t *testing.T) {
	ctx := context.Background()
	for _, d := range sampleDocuments() {
		typ := expected[d.Name+".png"].typ
		x := extractStage(nil)
		got, err := x.Run(ctx, Analysis{Type: typ, Text: d.Text()})
		if err != nil {
			t.Errorf("%s: %v", d.Name, err)
			continue
		}
		checkDocuments := map[string]string{}
		for _, p := range got.Fields.Pairs() {
			checkDocuments[p[0]] = p[1]
		}
		for k, v := range expected[d.Name+".png"].fields {
			if checkDocuments[k] != v {
				t.Errorf("%s: %s = %q, want %q", d.Name, k, checkDocuments[k], v)
			}
		}
	}

	inv, err := ruleInvoice(ctx, "Tax Invoice #A-7731\nIssued: 2024-11-02\nCustomer: Lakeside Hotel Group\nNet total 1,240.00\nSubtotal 1,240.00\nInvoice total 1.488,00 EUR\n")
	if err != nil {
		t.Fatal(err)
	}
	f := Fields{Invoice: &inv}.normalize().Invoice
	if f.Number != "A-7731" || f.BillTo != "Lakeside Hotel Group" || f.Total != "1,488.00" || f.Currency != "EUR" || f.Date != "2024-11-02" {
		t.Errorf("invoice %+v", f)
	}
	rec, err := ruleReceipt(ctx, "CAFE LUMEN\n12/09/2025 08:14\nFlat white 3.20\nSubtotal 5.80\nTotal   € 5.80\n")
	if err != nil {
		t.Fatal(err)
	}
	if r := (Fields{Receipt: &rec}).normalize().Receipt; r.Merchant != "CAFE LUMEN" || r.Total != "5.80" || r.Currency != "EUR" || r.Date != "2025-09-12" {
		t.Errorf("receipt %+v", r)
	}
	let, err := ruleLetter(ctx, "Dear Sir or Madam,\nRe: Complaint about late delivery\nI am writing...\nYours faithfully,\nPeter Lang\n")
	if err != nil {
		t.Fatal(err)
	}
	if let.Recipient != "Sir or Madam" || let.Sender != "Peter Lang" || let.Subject != "Complaint about late delivery" {
		t.Errorf("letter %+v", let)
	}
	con, err := ruleContract(ctx, "The parties, Vantage Robotics Inc. and Helix Analytics LLC, agree to keep confidential all information. "+
		"This Agreement remains in force for three years. Governing law: State of New York.")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(con.Parties, []string{"Vantage Robotics Inc.", "Helix Analytics LLC"}) || con.Term != "three years" || con.GoverningLaw != "State of New York" {
		t.Errorf("contract %+v", con)
	}
	for name, rule := range map[string]func(context.Context, string) error{
		"invoice":  func(ctx context.Context, s string) error { _, err := ruleInvoice(ctx, s); return err },
		"receipt":  func(ctx context.Context, s string) error { _, err := ruleReceipt(ctx, s); return err },
		"letter":   func(ctx context.Context, s string) error { _, err := ruleLetter(ctx, s); return err },
		"contract": func(ctx context.Context, s string) error { _, err := ruleContract(ctx, s); return err },
		"form":     func(ctx context.Context, s string) error { _, err := ruleForm(ctx, s); return err },
	} {
		if err := rule(ctx, "nothing to see here"); err == nil {
			t.Errorf("%s rules found fields in nothing", name)
		}
	}
}

func TestNormalize(t *testing.T) {
	for _, c := range []struct{ total, currency, wantTotal, wantCurrency string }{
		{"1,234.50", "EUR", "1,234.50", "EUR"},
		{"1234.5", "€", "1,234.50", "EUR"},
		{"1.234,50 EUR", "", "1,234.50", "EUR"},
		{"$ 2,350", "", "2,350.00", "USD"},
		{"22.66", "eur", "22.66", "EUR"},
		{"1234567.891", "", "1,234,567,891.00", ""}, // three decimals: a thousands point
		{"n/a", "", "n/a", ""},
	} {
		total, currency := normalizeMoney(c.total, c.currency)
		if total != c.wantTotal || currency != c.wantCurrency {
			t.Errorf("normalizeMoney(%q, %q) = %q, %q; want %q, %q", c.total, c.currency, total, currency, c.wantTotal, c.wantCurrency)
		}
	}
	for in, want := range map[string]string{
		"2026-03-14": "2026-03-14", "14 March 2026": "2026-03-14", "March 14, 2026": "2026-03-14",
		"14/03/2026": "2026-03-14", "1 Apr 2026.": "2026-04-01", "soon": "soon", "": "",
	} {
		if got := normalizeDate(in); got != want {
			t.Errorf("normalizeDate(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSentences(t *testing.T) {
	text := "INVOICE\nInvoice number: INV-2041\n\nThis Agreement takes effect on 1 April 2026 (the\nEffective Date) and runs for a term of 24 months. 3. Fees. The Customer will pay monthly."
	want := []string{"Invoice number: INV-2041", "This Agreement takes effect on 1 April 2026 (the Effective Date) and runs for a term of 24 months.", "The Customer will pay monthly."}
	if got := sentences(text); !slices.Equal(got, want) {
		t.Errorf("sentences:\n got %q\nwant %q", got, want)
	}
}

func TestExtractAnswer(t *testing.T) {
	sources := []retrieval.Document{
		{Text: "Receipt 0042\nTOTAL EUR 22.66", Score: 0.3},
		{Text: "invoice.png is an invoice.\nInvoice number: INV-2041.\nInvoice total: 1,234.50 EUR.", Score: 0.5},
	}
	a := extractAnswer(chain.Pair[string, []retrieval.Document]{First: "What is the invoice total?", Second: sources})
	if !strings.HasPrefix(a.Text, "Invoice total: 1,234.50 EUR. [2]") || !slices.Equal(a.Citations, []int{2}) {
		t.Errorf("answer %q, citations %v", a.Text, a.Citations)
	}
	twice := append(sources, retrieval.Document{Text: "Invoice total: 1,234.50 EUR.", Score: 0.4})
	a = extractAnswer(chain.Pair[string, []retrieval.Document]{First: "What is the invoice total?", Second: twice})
	if !strings.HasPrefix(a.Text, "Invoice total: 1,234.50 EUR. [2][3]") || !slices.Equal(a.Citations, []int{2, 3}) {
		t.Errorf("one sentence in two sources: %q, citations %v", a.Text, a.Citations)
	}
	a = extractAnswer(chain.Pair[string, []retrieval.Document]{First: "Is the moon cheese?", Second: sources})
	if len(a.Citations) != 0 || !strings.Contains(a.Text, "do not seem to say") {
		t.Errorf("no answer: %q %v", a.Text, a.Citations)
	}
}

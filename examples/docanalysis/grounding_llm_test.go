package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/internal/testimages"
)

// A model that returns schema-valid nonsense, through the real OpenAI
// adapter: its values the document does not say ("HELLO, I AM A TINY
// MODEL.", "x") are rejected and the rules' values used, the report says
// which and why (and "fell back:" counts them), its correct values are
// kept with provenance pointing at the right words (boxes for the scan,
// character offsets for the text), and its answer citing nothing is
// flagged unsupported.
func TestRunLLMNonsense(t *testing.T) {
	noModels(t)
	s := openaitest.New(t, openaitest.WithAPIKey("sk-test"))
	var calls atomic.Int64
	s.SetDefault(openaitest.EndpointChat, scriptedModelWith(t, &calls, map[string]any{
		"InvoiceFields": InvoiceFields{Number: "x", Date: "14 March 2026", BillTo: "Acme Widgets Ltd", Total: "HELLO, I AM A TINY MODEL.", Currency: "EUR"},
		"rag":           "The total is 1,234.50 EUR.",
	}))
	t.Setenv("OPENAI_API_KEY", "sk-test")
	t.Setenv("OPENAI_BASE_URL", s.URL())

	dir := t.TempDir()
	img, err := samples.ReadFile("testdata/invoice.png")
	if err != nil {
		t.Fatal(err)
	}
	contract := testimages.Contract()
	if err := os.WriteFile(filepath.Join(dir, "invoice.png"), img, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "contract.txt"), []byte(contract.Text()), 0o644); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(dir, "report.json")
	ocr := tsvOCR{fakeTSV(testimages.Invoice().Lines)}
	code, stdout, stderr := runProgram(t, []string{"-embed", "hash", "-json=" + report, "-ask", "What is the total due on the invoice?", dir}, ocr, s.HTTPClient())
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, want := range []string{
		"total: 1,234.50 EUR",
		"number: INV-2041",
		"rejected   number: model said 'x' — too short to be checked against the document; used the rules' value (INV-2041)",
		"           total: model said 'HELLO, I AM A TINY MODEL.' — not found in the document; used the rules' value (1,234.50)",
		"fell back: " + filepath.Join(dir, "invoice.png") + ": number: model said 'x'",
		"           " + filepath.Join(dir, "invoice.png") + ": total: model said 'HELLO, I AM A TINY MODEL.' — not found in the document; used the rules' value (1,234.50)",
		"unsupported: the answer cites no source",
		"2 documents: 2 analysed in",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "HELLO, I AM A TINY MODEL.\n") || strings.Contains(stdout, "fell back: nothing") {
		t.Errorf("the nonsense was kept:\n%s", stdout)
	}

	raw, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var r Report
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	for _, d := range r.Documents {
		if d.Extractor != "openai:gpt-4o-mini" {
			t.Errorf("%s: extracted by %q", d.Name, d.Extractor)
		}
		prov := map[string]Provenance{}
		for _, p := range d.Provenance {
			prov[p.Field] = p
			// Every provenance points at its words in the text.
			for _, w := range p.Words {
				if got := string([]rune(d.Text)[w.Start:w.End]); got != w.Text {
					t.Errorf("%s %s: word %q at %d-%d is %q", d.Name, p.Field, w.Text, w.Start, w.End, got)
				}
			}
		}
		switch d.Type {
		case Invoice:
			if f := d.Fields.Invoice; f.Number != "INV-2041" || f.Total != "1,234.50" || f.Date != "2026-03-14" || f.BillTo != "Acme Widgets Ltd" {
				t.Errorf("invoice fields %+v", f)
			}
			if len(d.Rejected) != 2 || d.Rejected[0].Field != "number" || d.Rejected[1].Field != "total" || d.Rejected[1].Value != "HELLO, I AM A TINY MODEL." {
				t.Errorf("invoice rejected %+v", d.Rejected)
			}
			checkProvenance(t, prov, "bill_to", "openai:gpt-4o-mini", "Acme Widgets Ltd", true)
			checkProvenance(t, prov, "date", "openai:gpt-4o-mini", "2026-03-14", true)
			checkProvenance(t, prov, "total", "rules", "1,234.50", true)
			checkProvenance(t, prov, "number", "rules", "INV-2041", true)
		case Contract:
			if len(d.Rejected) != 0 {
				t.Errorf("contract rejected %+v", d.Rejected)
			}
			checkProvenance(t, prov, "parties[0]", "openai:gpt-4o-mini", "Northwind Supplies GmbH", false)
			checkProvenance(t, prov, "effective_date", "openai:gpt-4o-mini", "1 April 2026", false)
		default:
			t.Errorf("unexpected document %s", d.Name)
		}
	}
	if len(r.Answers) != 1 || !r.Answers[0].Unsupported || len(r.Answers[0].Citations) != 0 {
		t.Errorf("answers %+v", r.Answers)
	}
	if !strings.Contains(string(raw), `"provenance": [`) || !strings.Contains(string(raw), `"unsupported": true`) {
		t.Error("the JSON report lacks provenance or the unsupported flag")
	}
}

// checkProvenance checks a field's provenance: who gave the value, the
// words it came from, and for a scan their boxes and confidences.
func checkProvenance(t *testing.T, prov map[string]Provenance, field, by, words string, scan bool) {
	t.Helper()
	p, ok := prov[field]
	if !ok {
		t.Errorf("no provenance for %s", field)
		return
	}
	var ws []string
	for _, w := range p.Words {
		ws = append(ws, strings.Trim(w.Text, "(),.:"))
		if scan != (w.Box != nil) || scan != (w.Confidence > 0) {
			t.Errorf("%s: word %+v (scan %v)", field, w, scan)
		}
	}
	if p.By != by || strings.Join(ws, " ") != words || p.Page != 1 {
		t.Errorf("%s: provenance by %q, words %q, page %d; want by %q, words %q", field, p.By, strings.Join(ws, " "), p.Page, by, words)
	}
}

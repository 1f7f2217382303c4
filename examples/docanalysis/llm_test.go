package main

import (
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/retrieval"
)

// scriptedModel answers like a language model would, from the request:
// a classification gets the label a careful reader gives, an extraction
// the fields (written the way models write them: unnormalised), the RAG
// prompt an answer citing its first source. The letter's extraction is
// refused with a 400, so the rules take over there.
func scriptedModel(t *testing.T, calls *atomic.Int64) openaitest.Reply {
	return scriptedModelWith(t, calls, nil)
}

// scriptedModelWith is scriptedModel with some replies replaced: the
// extraction of a schema by its name ("InvoiceFields"), the RAG answer
// by "rag".
func scriptedModelWith(t *testing.T, calls *atomic.Int64, replies map[string]any) openaitest.Reply {
	return openaitest.Func(func(req *openaitest.Request) openaitest.Reply {
		calls.Add(1)
		system := ""
		if len(req.Chat.Messages) > 0 {
			system = req.Chat.Messages[0].Content
		}
		user := req.LastUserMessage()
		switch {
		case strings.HasPrefix(system, "Classify"):
			label := "form"
			for _, c := range []struct{ word, label string }{
				{"INVOICE", "invoice"}, {"CORNER SHOP", "receipt"}, {"Dear", "letter"}, {"AGREEMENT", "contract"},
			} {
				if strings.Contains(user, c.word) {
					label = c.label
					break
				}
			}
			return openaitest.JSON(map[string]string{"label": label})
		case strings.HasPrefix(system, "Extract"):
			name := ""
			if f := req.Chat.ResponseFormat; f != nil && f.JSONSchema != nil {
				name = f.JSONSchema.Name
			}
			if v, ok := replies[name]; ok {
				return openaitest.JSON(v)
			}
			switch name {
			case "InvoiceFields":
				return openaitest.JSON(InvoiceFields{Number: "INV-2041", Date: "14 March 2026", BillTo: "Acme Widgets Ltd", Total: "1234.5", Currency: "€"})
			case "ReceiptFields":
				return openaitest.JSON(ReceiptFields{Merchant: "CORNER SHOP", Date: "2026-03-14", Total: "22.66", Currency: "EUR"})
			case "ContractFields":
				return openaitest.JSON(ContractFields{Parties: []string{"Northwind Supplies GmbH", "Acme Widgets Ltd"}, EffectiveDate: "1 April 2026", Term: "24 months", GoverningLaw: "England and Wales"})
			case "FormFields":
				return openaitest.JSON(FormFields{Title: "MEMBERSHIP APPLICATION FORM", Organization: "Riverside Public Library", Applicant: "Maria Garcia", Date: "2026-03-10",
					Entries: []FormEntry{{"Full name", "Maria Garcia"}, {"Date signed", "2026-03-10"}}})
			}
			return openaitest.BadRequest("scripted: no extraction for " + name)
		case system == retrieval.DefaultRAGSystemPrompt:
			if v, ok := replies["rag"]; ok {
				return openaitest.Text(v.(string))
			}
			return openaitest.Text("The invoice total due is 1,234.50 EUR [1].")
		}
		t.Errorf("unexpected request: system %q", system)
		return openaitest.BadRequest("unexpected request")
	})
}

// With OPENAI_API_KEY and OPENAI_BASE_URL set, the model joins the vote
// (a third ballot), extracts the fields (normalised like the rules'), the
// rules take over where it fails, its embedder indexes, and it answers
// the questions with citations.
func TestRunLLM(t *testing.T) {
	noModels(t)
	s := openaitest.New(t, openaitest.WithAPIKey("sk-test"))
	var calls atomic.Int64
	s.SetDefault(openaitest.EndpointChat, scriptedModel(t, &calls))
	t.Setenv("OPENAI_API_KEY", "sk-test")
	t.Setenv("OPENAI_BASE_URL", s.URL())

	code, stdout, stderr := runProgram(t, []string{"-json", "-ask", "What is the total due on the invoice?", writeTexts(t)}, nil, s.HTTPClient())
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var r Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("stdout is not the JSON report: %v\n%s", err, stdout)
	}
	checkDocuments(t, r.Documents)
	for _, want := range []string{
		"classifier vote: rules, naive-bayes (local); openai:gpt-4o-mini",
		"extraction: openai:gpt-4o-mini -> rules (local)",
		"index: openai:text-embedding-3-small embeddings, memory store",
		"answers: rag openai:gpt-4o-mini -> extractive (local)",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	for _, d := range r.Documents {
		if len(d.Vote.Ballots) != 3 {
			t.Fatalf("%s: %d ballots, want 3: %+v", d.Name, len(d.Vote.Ballots), d.Vote.Ballots)
		}
		b := d.Vote.Ballots[2]
		if b.Member != "openai:gpt-4o-mini" || b.Error != "" || b.Answer != d.Type || b.Weight != 1.5 {
			t.Errorf("%s: the model's ballot is %+v", d.Name, b)
		}
		if d.Vote.Agreement != 1 {
			t.Errorf("%s: agreement %v", d.Name, d.Vote.Agreement)
		}
		wantBy := "openai:gpt-4o-mini"
		if d.Type == Letter {
			wantBy = "rules"
			if len(d.FellBack) != 1 || !strings.Contains(d.FellBack[0], "scripted: no extraction") {
				t.Errorf("letter: fell back after %q", d.FellBack)
			}
		}
		if d.Extractor != wantBy {
			t.Errorf("%s: extracted by %q, want %q", d.Name, d.Extractor, wantBy)
		}
	}
	if len(r.Answers) != 1 {
		t.Fatalf("%d answers", len(r.Answers))
	}
	a := r.Answers[0]
	if a.By != "rag openai:gpt-4o-mini" || !strings.Contains(a.Answer, "1,234.50 EUR [1]") || len(a.Citations) != 1 || a.Citations[0].N != 1 {
		t.Errorf("answer %+v", a)
	}
	if s.EmbeddingRequests() == 0 {
		t.Error("the model's embedder was not used")
	}
	if calls.Load() < 11 { // 5 classifications, 5 extractions, 1 answer
		t.Errorf("%d chat calls", calls.Load())
	}
}

// When the model fails, the local models carry on: the vote stands on
// the local ballots, the rules extract, the extractive answerer answers,
// and the report says what fell back.
func TestRunLLMFailing(t *testing.T) {
	noModels(t)
	s := openaitest.New(t, openaitest.WithAPIKey("sk-test"))
	s.SetDefault(openaitest.EndpointChat, openaitest.BadRequest("scripted failure"))
	t.Setenv("OPENAI_API_KEY", "sk-test")
	t.Setenv("OPENAI_BASE_URL", s.URL())

	code, stdout, stderr := runProgram(t, []string{"-embed", "hash", "-ask", "What is the total due on the invoice?", writeTexts(t)}, nil, s.HTTPClient())
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, want := range []string{
		"classifier vote: rules, naive-bayes (local); openai:gpt-4o-mini",
		"index: hash-256 (local) embeddings",
		"ballots    rules: invoice · naive-bayes: invoice · openai:gpt-4o-mini: failed",
		"type       invoice (agreement 100%, 2 of 2 ballots; 1 failed)",
		"fell back: classifier openai:gpt-4o-mini failed on 5 of 5 documents",
		"extraction fell back to rules for 5 of 5 documents",
		`answer to "What is the total due on the invoice?" fell back to extractive`,
		"total: 1,234.50 EUR",
		"A: Invoice total: 1,234.50 EUR.",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
}

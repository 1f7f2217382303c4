package llm_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/llmtest"
)

func TestClassifier(t *testing.T) {
	tests := []struct {
		name     string
		replies  []llmtest.Reply
		want     docType
		requests int
		errIs    error
		reask    string // a text the first re-ask must hold
	}{
		{"label", []llmtest.Reply{llmtest.Text(`{"label":"receipt"}`)}, receiptDoc, 1, nil, ""},
		{"fenced label", []llmtest.Reply{llmtest.Text("```json\n{\"label\": \"letter\"}\n```")}, letterDoc, 1, nil, ""},
		{"unknown label then a known one", []llmtest.Reply{llmtest.Text(`{"label":"memo"}`), llmtest.Text(`{"label":"invoice"}`)}, invoiceDoc, 2, nil,
			`value must be one of 'invoice', 'receipt', 'letter'`},
		{"wrong case is not a label", []llmtest.Reply{llmtest.Text(`{"label":"Invoice"}`), llmtest.Text(`{"label":"invoice"}`)}, invoiceDoc, 2, nil, "value must be one of"},
		{"bare label is not JSON", []llmtest.Reply{llmtest.Text(`invoice`), llmtest.Text(`{"label":"invoice"}`)}, invoiceDoc, 2, nil, "not valid JSON"},
		{"extra field", []llmtest.Reply{llmtest.Text(`{"label":"invoice","why":"it says so"}`), llmtest.Text(`{"label":"invoice"}`)}, invoiceDoc, 2, nil, "additional properties 'why'"},
		{"always wrong", []llmtest.Reply{llmtest.Text(`{"label":"memo"}`), llmtest.Text(`{"label":"memo"}`), llmtest.Text(`{"label":"note"}`)}, "", 3, llm.ErrInvalidOutput, ""},
		{"provider error", []llmtest.Reply{llmtest.Error(llmtest.StatusError(401))}, "", 1, llm.ErrAuth, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := llmtest.NewModel("m", tt.replies...)
			c := llm.Classifier(m, docTypes)
			got, err := c.Run(context.Background(), "Thank you for your purchase. Total paid: 12 EUR")
			if tt.errIs != nil {
				if !errors.Is(err, tt.errIs) {
					t.Fatalf("err = %v, want %v", err, tt.errIs)
				}
			} else if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
			reqs := m.Requests()
			if len(reqs) != tt.requests {
				t.Fatalf("%d requests, want %d", len(reqs), tt.requests)
			}
			if tt.reask != "" && !strings.Contains(lastUser(reqs[1]), tt.reask) {
				t.Errorf("re-ask %q does not hold %q", lastUser(reqs[1]), tt.reask)
			}
		})
	}
}

func TestClassifierSchemaAndPrompt(t *testing.T) {
	m := llmtest.NewModel("m", llmtest.Text(`{"label":"letter"}`))
	if _, err := llm.Classifier(m, docTypes).Run(context.Background(), "Dear Sir"); err != nil {
		t.Fatal(err)
	}
	req := m.Requests()[0]
	var schema struct {
		Properties struct {
			Label struct {
				Type string   `json:"type"`
				Enum []string `json:"enum"`
			} `json:"label"`
		} `json:"properties"`
		Required             []string `json:"required"`
		AdditionalProperties bool     `json:"additionalProperties"`
	}
	if err := json.Unmarshal(req.Format.Schema, &schema); err != nil {
		t.Fatal(err)
	}
	if l := schema.Properties.Label; l.Type != "string" || strings.Join(l.Enum, ",") != "invoice,receipt,letter" {
		t.Errorf("label schema %+v", l)
	}
	if !req.Format.Strict || len(schema.Required) != 1 || schema.AdditionalProperties {
		t.Errorf("format %+v, schema %s", req.Format, req.Format.Schema)
	}
	if sys := req.Messages[0].Text(); !strings.Contains(sys, `"invoice", "receipt", "letter"`) {
		t.Errorf("system message %q", sys)
	}
	if req.Messages[1].Text() != "Dear Sir" {
		t.Errorf("user message %q", req.Messages[1].Text())
	}
	n := chain.Describe(llm.Classifier(m, docTypes))
	if n.Name != "classify:docType" || !strings.Contains(n.Detail, "invoice, receipt, letter") {
		t.Errorf("node %+v", n)
	}
}

func TestClassifierLabelErrors(t *testing.T) {
	m := llmtest.NewModel("m")
	for name, labels := range map[string][]docType{
		"none":      nil,
		"empty":     {invoiceDoc, ""},
		"duplicate": {invoiceDoc, receiptDoc, invoiceDoc},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := llm.NewClassifier(m, labels)
			if !errors.Is(err, chain.ErrConfig) {
				t.Fatalf("err = %v", err)
			}
			t.Log(err)
		})
	}
	if _, err := llm.NewClassifier[string](nil, []string{"a"}); !errors.Is(err, llm.ErrNilModel) {
		t.Errorf("nil model: %v", err)
	}
}

func TestScoredClassifier(t *testing.T) {
	m := llmtest.NewModel("m",
		llmtest.Text(`{"label":"invoice","confidence":1.7}`),
		llmtest.Text(`{"label":"invoice","confidence":0.9}`),
	)
	got, err := llm.ScoredClassifier(m, docTypes).Run(context.Background(), "Invoice no. 7")
	if err != nil || got != (llm.Classification[docType]{Label: invoiceDoc, Confidence: 0.9}) {
		t.Fatalf("got %+v, %v", got, err)
	}
	if re := lastUser(m.Requests()[1]); !strings.Contains(re, "/confidence") {
		t.Errorf("re-ask %q", re)
	}
	if sys := m.Requests()[0].Messages[0].Text(); !strings.Contains(sys, `"confidence"`) {
		t.Errorf("system message %q", sys)
	}
}

func TestClassifiersVote(t *testing.T) {
	gpt := llmtest.NewModel("gpt", llmtest.Text(`{"label":"receipt"}`))
	llama := llmtest.NewModel("llama", llmtest.Text(`{"label":"memo"}`), llmtest.Text(`{"label":"receipt"}`))
	mistral := llmtest.NewModel("mistral", llmtest.Error(llmtest.StatusError(503)))
	vote := chain.Vote(chain.Weighted[docType](), []chain.Voter[string, docType]{
		chain.Member("gpt", llm.Classifier(gpt, docTypes)).Weight(2),
		chain.Member("llama", llm.Classifier(llama, docTypes)),
		chain.Member("mistral", llm.Classifier(mistral, docTypes)),
	}, chain.Quorum(2))
	v, err := vote.Run(context.Background(), "Paid, thank you")
	if err != nil || v.Answer != receiptDoc || v.Agreement != 1 {
		t.Fatalf("verdict %+v, %v", v, err)
	}
	if !errors.Is(v.Ballots[2].Err, llm.ErrServer) {
		t.Errorf("mistral ballot %+v", v.Ballots[2])
	}
	if g := chain.Mermaid(vote); !strings.Contains(g, "llmtest:llama") {
		t.Errorf("graph:\n%s", g)
	}
}

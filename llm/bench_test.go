package llm_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/chorus-go/chorus/chain/schema"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/llmtest"
)

// BenchmarkExtractorBuild is the whole construction of an Extractor.
func BenchmarkExtractorBuild(b *testing.B) {
	m := llmtest.NewModel("m")
	for b.Loop() {
		if _, err := llm.NewExtractor[invoice](m); err != nil {
			b.Fatal(err)
		}
	}
}

func benchModel() *llmtest.Model {
	return llmtest.NewModel("m").WithDefault(llmtest.Text(validInvoice)).Record(false)
}

// BenchmarkChatDirect is the baseline: one call of the scripted model.
func BenchmarkChatDirect(b *testing.B) {
	m := benchModel()
	s := schema.MustNew[invoice](schema.Strict())
	req := llm.Request{Messages: []llm.Message{llm.System("Extract."), llm.User("Invoice A-17")}, Format: llm.SchemaFormat(s)}
	ctx := context.Background()
	for b.Loop() {
		if _, err := m.Chat(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkChatDirectUnmarshal is the baseline a hand-written adapter
// would have: the call and a json.Unmarshal, with no validation.
func BenchmarkChatDirectUnmarshal(b *testing.B) {
	m := benchModel()
	s := schema.MustNew[invoice](schema.Strict())
	req := llm.Request{Messages: []llm.Message{llm.System("Extract."), llm.User("Invoice A-17")}, Format: llm.SchemaFormat(s)}
	ctx := context.Background()
	for b.Loop() {
		resp, err := m.Chat(ctx, req)
		if err != nil {
			b.Fatal(err)
		}
		var v invoice
		if err := json.Unmarshal([]byte(resp.Text()), &v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStructured is the same call through Extractor: rendering,
// the call, fence stripping, validation and decoding.
func BenchmarkStructured(b *testing.B) {
	c := llm.Extractor[invoice](benchModel())
	ctx := context.Background()
	for b.Loop() {
		if _, err := c.Run(ctx, "Invoice A-17"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClassifier is one label through Classifier.
func BenchmarkClassifier(b *testing.B) {
	m := llmtest.NewModel("m").WithDefault(llmtest.Text(`{"label":"receipt"}`)).Record(false)
	c := llm.Classifier(m, docTypes)
	ctx := context.Background()
	for b.Loop() {
		if _, err := c.Run(ctx, "Paid, thank you"); err != nil {
			b.Fatal(err)
		}
	}
}

package llm_test

import (
	"context"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/llmtest"
)

// plainModel hides the Stream method of a model.
type plainModel struct{ m llm.ChatModel }

func (c plainModel) Chat(ctx context.Context, req llm.Request) (llm.Response, error) {
	return c.m.Chat(ctx, req)
}

func (c plainModel) Describe() chain.Node {
	return chain.Node{Kind: chain.KindModel, Name: "plain:model"}
}

func tokenEvents(r *recorder) []chain.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []chain.Event
	for _, e := range r.events {
		if e.Kind == chain.EventTokens {
			out = append(out, e)
		}
	}
	return out
}

// TestUsageReportedOnce checks that every way of calling a model reports
// exactly one token event per call, named after the model.
func TestUsageReportedOnce(t *testing.T) {
	ask := llm.Request{Messages: []llm.Message{llm.User("one two three")}}
	for _, tc := range []struct {
		name  string
		model string
		call  func(ctx context.Context, m llm.ChatModel) error
	}{
		{"Chat", "llmtest:gpt", func(ctx context.Context, m llm.ChatModel) error {
			_, err := llm.Chat(ctx, m, ask)
			return err
		}},
		{"Stream", "llmtest:gpt", func(ctx context.Context, m llm.ChatModel) error {
			_, err := llm.Collect(llm.Stream(ctx, m, ask))
			return err
		}},
		{"Stream of a model that does not stream", "plain:model", func(ctx context.Context, m llm.ChatModel) error {
			_, err := llm.Collect(llm.Stream(ctx, plainModel{m}, ask))
			return err
		}},
		{"ChatChain", "llmtest:gpt", func(ctx context.Context, m llm.ChatModel) error {
			_, err := llm.ChatChain(m).Run(ctx, ask)
			return err
		}},
		{"Prompt", "llmtest:gpt", func(ctx context.Context, m llm.ChatModel) error {
			_, err := llm.Prompt(m, "").Run(ctx, "one two three")
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rec recorder
			m := llmtest.NewModel("gpt", llmtest.Text("four five"))
			if err := tc.call(rec.ctx(), m); err != nil {
				t.Fatal(err)
			}
			got := tokenEvents(&rec)
			if len(got) != 1 {
				t.Fatalf("%d token events, want 1: %+v", len(got), got)
			}
			if e := got[0]; e.Name != tc.model || e.InputTokens != 3 || e.OutputTokens != 2 {
				t.Errorf("token event %+v, want %s with 3 in and 2 out", e, tc.model)
			}
		})
	}
}

// TestUsageNotReportedWithoutAnAnswer: a stream abandoned before its end reports
// nothing, and a failed call reports nothing.
func TestUsageNotReportedWithoutAnAnswer(t *testing.T) {
	var rec recorder
	m := llmtest.NewModel("gpt", llmtest.Text("a long answer in many chunks"), llmtest.Error(llm.ErrIncompleteStream))
	for range llm.Stream(rec.ctx(), m, llm.Request{Messages: []llm.Message{llm.User("hi")}}) {
		break
	}
	if _, err := llm.Chat(rec.ctx(), m, llm.Request{Messages: []llm.Message{llm.User("hi")}}); err == nil {
		t.Fatal("no error")
	}
	if got := tokenEvents(&rec); len(got) != 0 {
		t.Errorf("token events %+v, want none", got)
	}
}

// usageEmbedder is an embedder that reports usage: a token per text.
type usageEmbedder struct{ *llmtest.Embedder }

func (e usageEmbedder) EmbedUsage(ctx context.Context, texts []string) ([][]float32, llm.Usage, error) {
	vs, err := e.Embed(ctx, texts)
	return vs, llm.Usage{InputTokens: len(texts)}, err
}

func TestEmbedReportsUsage(t *testing.T) {
	var rec recorder
	e := usageEmbedder{llmtest.NewEmbedder(8)}
	if _, err := llm.Embed(rec.ctx(), e, []string{"a", "b"}); err != nil {
		t.Fatal(err)
	}
	if _, err := llm.EmbedChain(e).Run(rec.ctx(), "c"); err != nil {
		t.Fatal(err)
	}
	got := tokenEvents(&rec)
	if len(got) != 2 || got[0].Name != "llmtest:hash-8" || got[0].InputTokens != 2 || got[1].InputTokens != 1 {
		t.Errorf("token events %+v, want two of llmtest:hash-8 with 2 and 1 input tokens", got)
	}
	// An embedder that reports no usage reports nothing.
	var none recorder
	if _, err := llm.Embed(none.ctx(), llmtest.NewEmbedder(8), []string{"a"}); err != nil {
		t.Fatal(err)
	}
	if got := tokenEvents(&none); len(got) != 0 {
		t.Errorf("token events %+v, want none", got)
	}
}

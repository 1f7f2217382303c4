package ollama

import (
	"context"
	"testing"

	"github.com/ollama/ollama/api"

	"github.com/chorus-go/chorus/llm"
)

// BenchmarkMapping measures what the adapter adds to a call, without the
// network: building the api request from an llm.Request and the
// llm.Response from the api answer.
func BenchmarkMapping(b *testing.B) {
	m, err := New("llama3.2", WithClient(api.NewClient(nil, nil)), WithModelOptions(map[string]any{"num_ctx": 8192}))
	if err != nil {
		b.Fatal(err)
	}
	temp := 0.2
	req := llm.Request{
		Messages: []llm.Message{llm.System("Answer briefly."), llm.User("What is the capital of France? Answer in one short sentence.")},
		Options:  llm.Options{Temperature: &temp, MaxTokens: 128},
	}
	answer := &api.ChatResponse{
		Model:      "llama3.2",
		Message:    api.Message{Role: "assistant", Content: "Paris is the capital of France."},
		Done:       true,
		DoneReason: "stop",
		Metrics:    api.Metrics{PromptEvalCount: 30, EvalCount: 8},
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		creq, err := m.chatRequest(ctx, &req, false)
		if err != nil || creq == nil {
			b.Fatal(err)
		}
		var a assembly
		a.add(chatPiece(answer))
		if resp := m.response(ctx, &a); resp.Text() == "" {
			b.Fatal("no text")
		}
	}
}

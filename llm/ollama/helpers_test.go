package ollama_test

import (
	"context"
	"iter"
	"testing"
	"time"

	"github.com/chorus-go/chorus/internal/ollamatest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/ollama"
)

// testContext returns a context that ends with the test or after 10 s.
func testContext(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// serverOptions point an adapter at s through the server's own HTTP
// client, whose idle connections close with the server. Retries are off,
// so that a scripted failure shows as the call's error; the tests of
// retries ask for them.
func serverOptions(s *ollamatest.Server) []ollama.SharedOption {
	return []ollama.SharedOption{ollama.WithHost(s.URL().String()), ollama.WithHTTPClient(s.HTTPClient()), ollama.WithMaxRetries(0)}
}

// newModel returns a model served by s.
func newModel(t testing.TB, s *ollamatest.Server, name string, opts ...ollama.Option) *ollama.Model {
	t.Helper()
	var all []ollama.Option
	for _, o := range serverOptions(s) {
		all = append(all, o)
	}
	m, err := ollama.New(name, append(all, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return m
}

// newEmbedder returns an embedder served by s.
func newEmbedder(t testing.TB, s *ollamatest.Server, name string, opts ...ollama.EmbedOption) *ollama.Embedder {
	t.Helper()
	var all []ollama.EmbedOption
	for _, o := range serverOptions(s) {
		all = append(all, o)
	}
	e, err := ollama.NewEmbedder(name, append(all, opts...)...)
	if err != nil {
		t.Fatalf("NewEmbedder: %v", err)
	}
	return e
}

// ask is a one-message request.
func ask(text string) llm.Request {
	return llm.Request{Messages: []llm.Message{llm.User(text)}}
}

// drain collects a stream: the chunks before the error, and the error.
func drain(seq iter.Seq2[llm.Chunk, error]) ([]llm.Chunk, error) {
	var chunks []llm.Chunk
	for c, err := range seq {
		if err != nil {
			return chunks, err
		}
		chunks = append(chunks, c)
	}
	return chunks, nil
}

// lastRequest returns the last request s received.
func lastRequest(t testing.TB, s *ollamatest.Server) ollamatest.Request {
	t.Helper()
	reqs := s.Requests()
	if len(reqs) == 0 {
		t.Fatal("the server received no request")
	}
	return reqs[len(reqs)-1]
}

func ptr[T any](v T) *T { return &v }

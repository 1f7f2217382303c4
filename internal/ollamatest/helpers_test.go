package ollamatest

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/ollama/ollama/api"
)

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }

// testContext returns a context that ends with the test or after 10 s.
func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// chat runs Chat and collects every response the callback saw.
func chat(ctx context.Context, c *api.Client, req *api.ChatRequest) ([]api.ChatResponse, error) {
	var got []api.ChatResponse
	err := c.Chat(ctx, req, func(r api.ChatResponse) error {
		got = append(got, r)
		return nil
	})
	return got, err
}

// assembled joins the content of chat responses and reports whether a
// response with done: true arrived.
func assembled(rs []api.ChatResponse) (content string, done bool) {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(r.Message.Content)
		done = done || r.Done
	}
	return b.String(), done
}

// userChat is a one-message chat request.
func userChat(model, content string) *api.ChatRequest {
	return &api.ChatRequest{
		Model:    model,
		Messages: []api.Message{{Role: "user", Content: content}},
	}
}

// stringsReader returns a reader over s.
func stringsReader(s string) io.Reader { return strings.NewReader(s) }

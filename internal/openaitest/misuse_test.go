package openaitest_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	openai "github.com/sashabaranov/go-openai"

	"github.com/chorus-go/chorus/internal/openaitest"
)

// errorRecorder is a testing.TB that records Errorf instead of failing.
type errorRecorder struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *errorRecorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestMisuseFailsTheTest(t *testing.T) {
	rec := &errorRecorder{TB: t}
	s := openaitest.New(rec)
	s.EnqueueEmbeddings(openaitest.Text("not an embedding"))
	s.EnqueueChat(openaitest.Reply{})
	client := newClient(s)

	_, err := client.CreateEmbeddings(context.Background(), openai.EmbeddingRequestStrings{Input: []string{"x"}, Model: openai.SmallEmbedding3})
	var apiErr *openai.APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 500 {
		t.Errorf("err = %v, want a 500", err)
	}
	if _, err := client.CreateChatCompletion(context.Background(), userRequest("x")); err == nil {
		t.Error("zero Reply answered without error")
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.errs) != 2 {
		t.Errorf("recorded test errors %q, want 2", rec.errs)
	}
}

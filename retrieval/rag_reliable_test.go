package retrieval_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/openai"
	"github.com/chorus-go/chorus/retrieval"
)

// countingRetriever returns the knowledge base's first two documents and
// counts its calls.
func countingRetriever(calls *atomic.Int32) chain.Chain[string, []retrieval.Document] {
	return chain.Fn(func(ctx context.Context, q string) ([]retrieval.Document, error) {
		calls.Add(1)
		return knowledge[:2], nil
	})
}

// openAIModel is the real go-openai client, through llm/openai, against
// an in-process OpenAI server.
func openAIModel(t *testing.T) (*openaitest.Server, *openai.Model) {
	t.Helper()
	s := openaitest.New(t)
	m, err := openai.New("gpt-4o-mini", openai.WithBaseURL(s.URL()), openai.WithHTTPClient(s.HTTPClient()), openai.WithAPIKey("sk-test"))
	if err != nil {
		t.Fatal(err)
	}
	return s, m
}

// TestRAGRetriesTheModelCallAlone: the server is overloaded once (503); a
// retry around the model call alone asks the model again, and the
// retrieval, which already ran, does not run again.
func TestRAGRetriesTheModelCallAlone(t *testing.T) {
	s, m := openAIModel(t)
	s.EnqueueChat(openaitest.Overloaded(), openaitest.Text("Vote takes the majority answer [1]."))
	var retrieved atomic.Int32
	safe := llm.FromChain(chain.Retry(llm.ChatChain(m), chain.Backoff(time.Millisecond, 10*time.Millisecond)))
	rag := retrieval.RAG(countingRetriever(&retrieved), safe)

	ans, err := rag.Run(t.Context(), "What does a vote chain do?")
	if err != nil {
		t.Fatal(err)
	}
	if ans.Text != "Vote takes the majority answer [1]." || len(ans.Citations) != 1 || ans.Citations[0] != 1 {
		t.Errorf("answer %+v", ans)
	}
	if n := retrieved.Load(); n != 1 {
		t.Errorf("retrieval ran %d times, want 1", n)
	}
	// The model was asked twice (whichever layer asked again: the retry
	// here, or a retry of the adapter's own), with the same sources.
	reqs := s.Requests()
	if len(reqs) != 2 {
		t.Fatalf("the server saw %d requests, want 2", len(reqs))
	}
	if a, b := reqs[0].LastUserMessage(), reqs[1].LastUserMessage(); a != b || a == "" {
		t.Errorf("the second request asked %q, the first %q", b, a)
	}
}

// TestRAGTimeoutRetriesTheModelCallAlone: a model call that stalls is cut
// by a timeout around it and retried by the retry around that, without
// retrieving again; the graph shows both around the model.
func TestRAGTimeoutRetriesTheModelCallAlone(t *testing.T) {
	s, m := openAIModel(t)
	s.EnqueueChat(openaitest.Text("too late").WithDelay(5*time.Second), openaitest.Text("In time [2]."))
	var retrieved, attempts atomic.Int32
	counted := chain.Wrap(llm.ChatChain(m), func(ctx context.Context, req llm.Request, c chain.Chain[llm.Request, llm.Response]) (llm.Response, error) {
		attempts.Add(1)
		return c.Run(ctx, req)
	})
	safe := llm.FromChain(chain.Retry(chain.Timeout(counted, 100*time.Millisecond), chain.Backoff(time.Millisecond, 10*time.Millisecond)))
	rag := retrieval.RAG(countingRetriever(&retrieved), safe)

	ans, err := rag.Run(t.Context(), "What does retry do?")
	if err != nil {
		t.Fatal(err)
	}
	if ans.Text != "In time [2]." {
		t.Errorf("answer %q", ans.Text)
	}
	if r, a := retrieved.Load(), attempts.Load(); r != 1 || a != 2 {
		t.Errorf("retrieval ran %d times and the model was tried %d times, want 1 and 2", r, a)
	}
	g := chain.Mermaid(rag)
	for _, want := range []string{"retry", "timeout", "openai"} {
		if !contains(g, want) {
			t.Errorf("the graph does not show %q:\n%s", want, g)
		}
	}
}

// TestRAGDoesNotRetryTheRetrieval: a retry around the model does not hide
// a failed retrieval, nor run the model without sources.
func TestRAGDoesNotRetryTheRetrieval(t *testing.T) {
	s, m := openAIModel(t)
	var calls atomic.Int32
	broken := chain.Fn(func(ctx context.Context, q string) ([]retrieval.Document, error) {
		calls.Add(1)
		return nil, errors.New("index offline")
	})
	rag := retrieval.RAG(broken, llm.FromChain(chain.Retry(llm.ChatChain(m), chain.Backoff(time.Millisecond, time.Millisecond))))
	if _, err := rag.Run(t.Context(), "q"); err == nil || calls.Load() != 1 || len(s.Requests()) != 0 {
		t.Errorf("error %v after %d retrievals and %d model requests, want the retrieval's error, 1 and 0", err, calls.Load(), len(s.Requests()))
	}
}

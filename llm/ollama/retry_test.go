package ollama_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/ollamatest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/ollama"
)

// retrying turns the default retries back on (serverOptions turns them
// off) with a tiny backoff.
var retrying = []ollama.Option{ollama.WithMaxRetries(ollama.DefaultMaxRetries), ollama.WithRetryBackoff(time.Millisecond, 2*time.Millisecond)}

func TestDefaultRetries(t *testing.T) {
	cases := []struct {
		name     string
		replies  []ollamatest.Reply
		opts     []ollama.Option
		requests int
		wantErr  error
	}{
		{"two transient failures", []ollamatest.Reply{ollamatest.Error(503, "server busy"), ollamatest.Error(500, "runner failed"), ollamatest.Text("ok")}, nil, 3, nil},
		{"an answer cut before done", []ollamatest.Reply{ollamatest.Cut("o"), ollamatest.Text("ok")}, nil, 2, nil},
		{"three failures give up", []ollamatest.Reply{ollamatest.Error(503, "busy"), ollamatest.Error(503, "busy"), ollamatest.Error(503, "busy"), ollamatest.Text("ok")}, nil, 3, llm.ErrServer},
		{"retries off", []ollamatest.Reply{ollamatest.Error(503, "busy"), ollamatest.Text("ok")}, []ollama.Option{ollama.WithMaxRetries(0)}, 1, llm.ErrServer},
		{"an unknown model is not retried", []ollamatest.Reply{ollamatest.Error(404, "model not found"), ollamatest.Text("ok")}, nil, 1, llm.ErrModelNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := ollamatest.New(t)
			s.Enqueue(tc.replies...)
			m := newModel(t, s, "llama3.2", append(append([]ollama.Option{}, retrying...), tc.opts...)...)
			resp, err := m.Chat(testContext(t), ask("x"))
			if tc.wantErr == nil && (err != nil || resp.Text() != "ok") {
				t.Fatalf("got %q, %v; want ok", resp.Text(), err)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if n := len(s.Requests()); n != tc.requests {
				t.Fatalf("%d requests, want %d", n, tc.requests)
			}
		})
	}
}

func TestRetryAfterPastTheDeadlineFailsAtOnce(t *testing.T) {
	s := ollamatest.New(t)
	busy := ollamatest.Raw(http.StatusTooManyRequests, "application/json", `{"error":"busy"}`).WithHeader("Retry-After", "90")
	s.Enqueue(busy, ollamatest.Text("ok"))
	ctx, cancel := context.WithTimeout(testContext(t), 5*time.Second)
	defer cancel()
	m := newModel(t, s, "llama3.2", append(retrying, ollama.WithMaxRetryWait(5*time.Minute))...)
	_, err := m.Chat(ctx, ask("x"))
	if !errors.Is(err, llm.ErrRateLimited) || !strings.Contains(err.Error(), "server asked to wait 1m30s, past the caller's deadline") {
		t.Fatalf("err = %v", err)
	}
	if d, ok := chain.RetryAfter(err); !ok || d != 90*time.Second {
		t.Fatalf("RetryAfter = %v, %v", d, ok)
	}
	if n := len(s.Requests()); n != 1 || ctx.Err() != nil {
		t.Fatalf("%d requests, ctx %v", n, ctx.Err())
	}
}

func TestTimeoutEndsAHang(t *testing.T) {
	s := ollamatest.New(t)
	s.Enqueue(ollamatest.Hang(), ollamatest.Text("ok"))
	m := newModel(t, s, "llama3.2", append(retrying, ollama.WithTimeout(50*time.Millisecond))...)
	if resp, err := m.Chat(testContext(t), ask("x")); err != nil || resp.Text() != "ok" {
		t.Fatalf("got %q, %v; want the retry's answer", resp.Text(), err)
	}
	s.Enqueue(ollamatest.Hang())
	m = newModel(t, s, "llama3.2", ollama.WithTimeout(20*time.Millisecond))
	_, err := m.Chat(testContext(t), ask("x"))
	if !errors.Is(err, context.DeadlineExceeded) || !chain.IsRetryable(err) || !strings.Contains(err.Error(), "no answer within 20ms") {
		t.Fatalf("err = %v, want a retryable timeout", err)
	}
	e := newEmbedder(t, s, "nomic-embed-text", ollama.WithTimeout(20*time.Millisecond))
	s.EnqueueEmbed(ollamatest.Hang())
	if _, err := e.Embed(testContext(t), []string{"a"}); !errors.Is(err, context.DeadlineExceeded) || !chain.IsRetryable(err) {
		t.Fatalf("embed: err = %v, want a retryable timeout", err)
	}
}

func TestStreamRetriesOnlyBeforeTheFirstChunk(t *testing.T) {
	s := ollamatest.New(t)
	s.Enqueue(ollamatest.Error(503, "busy"), ollamatest.Cut(""), ollamatest.Text("hello world"))
	m := newModel(t, s, "llama3.2", retrying...)
	chunks, err := drain(m.Stream(testContext(t), ask("x")))
	if err != nil || len(chunks) == 0 || !chunks[len(chunks)-1].Done {
		t.Fatalf("chunks %v, err %v", chunks, err)
	}
	if n := len(s.Requests()); n != 3 {
		t.Fatalf("%d requests, want 3", n)
	}

	s = ollamatest.New(t)
	s.Enqueue(ollamatest.Stall("hello"), ollamatest.Text("hello world"))
	m = newModel(t, s, "llama3.2", append(retrying, ollama.WithTimeout(50*time.Millisecond))...)
	chunks, err = drain(m.Stream(testContext(t), ask("x")))
	if !errors.Is(err, context.DeadlineExceeded) || len(chunks) == 0 {
		t.Fatalf("stalled stream: chunks %v, err %v; want the text, then the timeout", chunks, err)
	}
	if n := len(s.Requests()); n != 1 {
		t.Fatalf("%d requests after a chunk reached the caller, want 1", n)
	}
}

func TestEmbedderRetries(t *testing.T) {
	s := ollamatest.New(t)
	s.EnqueueEmbed(ollamatest.Error(503, "busy"))
	e := newEmbedder(t, s, "nomic-embed-text", ollama.WithMaxRetries(1), ollama.WithRetryBackoff(time.Millisecond, time.Millisecond))
	if v, err := e.Embed(testContext(t), []string{"a", "b"}); err != nil || len(v) != 2 {
		t.Fatalf("got %d vectors, %v", len(v), err)
	}
}

func TestRetryOptionsValidated(t *testing.T) {
	for name, opt := range map[string]ollama.SharedOption{
		"negative retries":  ollama.WithMaxRetries(-1),
		"negative timeout":  ollama.WithTimeout(-time.Second),
		"zero max wait":     ollama.WithMaxRetryWait(0),
		"max under initial": ollama.WithRetryBackoff(time.Second, time.Millisecond),
	} {
		if _, err := ollama.New("m", ollama.WithHost("http://127.0.0.1:1"), opt); !errors.Is(err, chain.ErrConfig) {
			t.Errorf("New, %s: err = %v, want chain.ErrConfig", name, err)
		}
		if _, err := ollama.NewEmbedder("m", ollama.WithHost("http://127.0.0.1:1"), opt); !errors.Is(err, chain.ErrConfig) {
			t.Errorf("NewEmbedder, %s: err = %v, want chain.ErrConfig", name, err)
		}
	}
}

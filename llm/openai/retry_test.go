package openai_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/openai"
)

// fast keeps the default retries but makes their backoff tiny.
var fast = openai.WithRetryBackoff(time.Millisecond, 2*time.Millisecond)

// newRetrying returns a model of the test server with the default retries
// (newModel turns them off) and a tiny backoff.
func newRetrying(t *testing.T, s *openaitest.Server, opts ...openai.Option) *openai.Model {
	t.Helper()
	return newModel(t, s, append([]openai.Option{openai.WithMaxRetries(openai.DefaultMaxRetries), fast}, opts...)...)
}

// retryDelays runs the chat through a named chain with hooks and returns
// the delays of the retries the adapter announced.
func retryDelays(t *testing.T, ctx context.Context, m *openai.Model) ([]time.Duration, error) {
	t.Helper()
	var (
		mu     sync.Mutex
		delays []time.Duration
	)
	ctx = chain.WithHooks(ctx, chain.HookFuncs{OnEvent: func(_ context.Context, _ chain.NodeInfo, e chain.Event) {
		if e.Kind == chain.EventRetry {
			mu.Lock()
			delays = append(delays, e.Delay)
			mu.Unlock()
		}
	}})
	_, err := chain.Named("gpt", llm.ChatChain(m)).Run(ctx, user("x"))
	mu.Lock()
	defer mu.Unlock()
	return delays, err
}

func TestDefaultRetries(t *testing.T) {
	cases := []struct {
		name     string
		replies  []openaitest.Reply
		opts     []openai.Option
		requests int
		wantErr  error
	}{
		{"two transient failures", []openaitest.Reply{openaitest.Overloaded(), openaitest.ServerError(), openaitest.Text("ok")}, nil, 3, nil},
		{"a 429 and a 502 page", []openaitest.Reply{openaitest.RateLimited(time.Millisecond), openaitest.BadGateway(), openaitest.Text("ok")}, nil, 3, nil},
		{"a cut body", []openaitest.Reply{openaitest.CutStream("partial"), openaitest.Text("ok")}, nil, 2, nil},
		{"three failures give up", []openaitest.Reply{openaitest.Overloaded(), openaitest.Overloaded(), openaitest.Overloaded(), openaitest.Text("ok")}, nil, 3, llm.ErrServer},
		{"retries off", []openaitest.Reply{openaitest.Overloaded(), openaitest.Text("ok")}, []openai.Option{openai.WithMaxRetries(0)}, 1, llm.ErrServer},
		{"more retries", []openaitest.Reply{openaitest.Overloaded(), openaitest.Overloaded(), openaitest.Overloaded(), openaitest.Text("ok")}, []openai.Option{openai.WithMaxRetries(3)}, 4, nil},
		{"a bad request is not retried", []openaitest.Reply{openaitest.BadRequest("no"), openaitest.Text("ok")}, nil, 1, llm.ErrBadRequest},
		{"an unknown model is not retried", []openaitest.Reply{openaitest.ModelNotFound("gpt-4o-mini"), openaitest.Text("ok")}, nil, 1, llm.ErrModelNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := openaitest.New(t)
			s.EnqueueChat(tc.replies...)
			resp, err := newRetrying(t, s, tc.opts...).Chat(context.Background(), user("x"))
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

func TestRetryAfterHonouredAndCapped(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.RateLimited(40*time.Millisecond), openaitest.RateLimited(2*time.Hour), openaitest.Text("ok"))
	m := newRetrying(t, s, openai.WithMaxRetryWait(30*time.Millisecond))
	delays, err := retryDelays(t, context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	// The first wait is the server's (40ms, over the cap: capped to 30ms);
	// the second, two hours, is capped too.
	if len(delays) != 2 || delays[0] != 30*time.Millisecond || delays[1] != 30*time.Millisecond {
		t.Fatalf("delays %v, want [30ms 30ms]", delays)
	}

	s2 := openaitest.New(t)
	s2.EnqueueChat(openaitest.RateLimited(20*time.Millisecond), openaitest.Text("ok"))
	if delays, err := retryDelays(t, context.Background(), newRetrying(t, s2)); err != nil || len(delays) != 1 || delays[0] != 20*time.Millisecond {
		t.Fatalf("delays %v, err %v; want the server's 20ms", delays, err)
	}
}

func TestRetryAfterPastTheDeadlineFailsAtOnce(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.RateLimited(90*time.Second), openaitest.Text("ok"))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := newRetrying(t, s, openai.WithMaxRetryWait(5*time.Minute)).Chat(ctx, user("x"))
	var le *llm.Error
	if !errors.As(err, &le) || le.StatusCode != 429 || !strings.Contains(err.Error(), "server asked to wait 1m30s, past the caller's deadline") {
		t.Fatalf("err = %v, want the 429 saying the server's wait", err)
	}
	if d, ok := chain.RetryAfter(err); !ok || d != 90*time.Second {
		t.Fatalf("RetryAfter = %v, %v", d, ok)
	}
	if n := len(s.Requests()); n != 1 {
		t.Fatalf("%d requests", n)
	}
	if ctx.Err() != nil {
		t.Fatal("the call waited until the deadline")
	}
}

func TestCancelWhileWaitingToRetry(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.RateLimited(time.Hour), openaitest.Text("ok"))
	ctx, cancel := context.WithCancel(context.Background())
	ctx = chain.WithHooks(ctx, chain.HookFuncs{OnEvent: func(_ context.Context, _ chain.NodeInfo, e chain.Event) {
		if e.Kind == chain.EventRetry {
			cancel()
		}
	}})
	m := newRetrying(t, s, openai.WithMaxRetryWait(time.Hour))
	_, err := chain.Named("gpt", llm.ChatChain(m)).Run(ctx, user("x"))
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "HTTP 429") {
		t.Fatalf("err = %v, want the cancellation naming the 429", err)
	}
}

func TestTimeoutEndsAHang(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.Hang(), openaitest.Text("ok"))
	m := newRetrying(t, s, openai.WithTimeout(50*time.Millisecond))
	if resp, err := m.Chat(context.Background(), user("x")); err != nil || resp.Text() != "ok" {
		t.Fatalf("got %q, %v; want the retry's answer", resp.Text(), err)
	}

	s.EnqueueChat(openaitest.Hang(), openaitest.Hang())
	m = newRetrying(t, s, openai.WithTimeout(20*time.Millisecond), openai.WithMaxRetries(1))
	_, err := m.Chat(context.Background(), user("x"))
	var le *llm.Error
	if !errors.As(err, &le) || !le.Retryable() || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "no answer within 20ms") {
		t.Fatalf("err = %v, want a retryable timeout", err)
	}
}

func TestStreamRetriesOnlyBeforeTheFirstChunk(t *testing.T) {
	collect := func(m *openai.Model) (string, error) {
		var b strings.Builder
		for c, err := range m.Stream(context.Background(), user("x")) {
			if err != nil {
				return b.String(), err
			}
			b.WriteString(c.Text)
		}
		return b.String(), nil
	}
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.Overloaded(), openaitest.CutStream(""), openaitest.Text("hello world"))
	if text, err := collect(newRetrying(t, s)); err != nil || text != "hello world" {
		t.Fatalf("got %q, %v", text, err)
	}
	if n := len(s.Requests()); n != 3 {
		t.Fatalf("%d requests, want 3", n)
	}

	s = openaitest.New(t)
	s.EnqueueChat(openaitest.CutStream("hello"), openaitest.Text("hello world"))
	text, err := collect(newRetrying(t, s))
	if !errors.Is(err, llm.ErrIncompleteStream) || text != "hello" {
		t.Fatalf("got %q, %v; want the partial text and the cut", text, err)
	}
	if n := len(s.Requests()); n != 1 {
		t.Fatalf("%d requests after a chunk reached the caller, want 1", n)
	}

	s = openaitest.New(t)
	s.EnqueueChat(openaitest.StallStream("hello"))
	text, err = collect(newRetrying(t, s, openai.WithTimeout(50*time.Millisecond)))
	if !errors.Is(err, context.DeadlineExceeded) || !chain.IsRetryable(err) || text != "hello" {
		t.Fatalf("stalled stream: got %q, %v; want the timeout", text, err)
	}
}

func TestEmbedderRetries(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueEmbeddings(openaitest.Overloaded(), openaitest.RateLimited(time.Millisecond))
	e := newEmbedder(t, s, openai.WithMaxRetries(2), openai.WithRetryBackoff(time.Millisecond, time.Millisecond))
	v, err := e.Embed(context.Background(), []string{"a", "b"})
	if err != nil || len(v) != 2 {
		t.Fatalf("got %d vectors, %v", len(v), err)
	}
	if n := s.EmbeddingRequests(); n != 3 {
		t.Fatalf("%d requests, want 3", n)
	}
}

func TestRetryOptionsValidated(t *testing.T) {
	key := openai.WithAPIKey("k")
	for name, opt := range map[string]openai.SharedOption{
		"negative retries":  openai.WithMaxRetries(-1),
		"negative timeout":  openai.WithTimeout(-time.Second),
		"zero max wait":     openai.WithMaxRetryWait(0),
		"zero backoff":      openai.WithRetryBackoff(0, time.Second),
		"max under initial": openai.WithRetryBackoff(time.Second, time.Millisecond),
	} {
		if _, err := openai.New("m", key, opt); !errors.Is(err, chain.ErrConfig) {
			t.Errorf("New, %s: err = %v, want chain.ErrConfig", name, err)
		}
		if _, err := openai.NewEmbedder("m", key, opt); !errors.Is(err, chain.ErrConfig) {
			t.Errorf("NewEmbedder, %s: err = %v, want chain.ErrConfig", name, err)
		}
	}
	if _, err := openai.New("m", key, openai.WithTimeout(0), openai.WithMaxRetries(0)); err != nil {
		t.Errorf("no timeout, no retries: %v", err)
	}
}

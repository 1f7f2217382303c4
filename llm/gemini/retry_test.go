package gemini_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/geminitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/gemini"
)

// retryEvents records the chain.EventRetry events of a context.
type retryEvents struct {
	mu     sync.Mutex
	events []chain.Event
}

func (r *retryEvents) ctx(ctx context.Context) context.Context {
	return chain.WithHooks(ctx, chain.HookFuncs{OnEvent: func(_ context.Context, _ chain.NodeInfo, e chain.Event) {
		if e.Kind == chain.EventRetry {
			r.mu.Lock()
			r.events = append(r.events, e)
			r.mu.Unlock()
		}
	}})
}

func (r *retryEvents) list() []chain.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]chain.Event(nil), r.events...)
}

// TestRetriesByDefault: without WithMaxRetries a model retries twice
// (three attempts), each retry a chain.EventRetry; the SDK makes exactly
// one request per attempt.
func TestRetriesByDefault(t *testing.T) {
	s := newServer(t)
	m, err := gemini.New("gemini-2.5-flash", gemini.WithAPIKey(testKey), gemini.WithBaseURL(s.URL()),
		gemini.WithHTTPClient(s.HTTPClient()), gemini.WithRetryBackoff(time.Millisecond, 2*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	s.EnqueueChat(geminitest.Unavailable(), geminitest.Error(500, "INTERNAL", "x"), geminitest.Text("ok"))
	var ev retryEvents
	resp, err := m.Chat(ev.ctx(context.Background()), user("x"))
	if err != nil || resp.Text() != "ok" {
		t.Fatalf("resp %q, err %v", resp.Text(), err)
	}
	if n := len(s.Requests()); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
	if n := len(ev.list()); n != 2 {
		t.Errorf("%d retry events, want 2", n)
	}

	s.EnqueueChat(geminitest.Unavailable(), geminitest.Unavailable(), geminitest.Unavailable(), geminitest.Text("late"))
	_, err = m.Chat(context.Background(), user("x"))
	if !errors.Is(err, llm.ErrServer) {
		t.Errorf("err = %v after the retries ran out", err)
	}
	if n := len(s.Requests()); n != 6 {
		t.Errorf("%d requests, want 6", n)
	}
}

// TestNoRetryWhenOff: WithMaxRetries(0) makes one request; the SDK does
// not retry on its own.
func TestNoRetryWhenOff(t *testing.T) {
	s := newServer(t)
	m := newModel(t, s)
	s.EnqueueChat(geminitest.Unavailable())
	if _, err := m.Chat(context.Background(), user("x")); err == nil {
		t.Fatal("no error")
	}
	if n := len(s.Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestRetryWaitsRetryDelay: the wait before a retry is the RetryInfo's
// retryDelay, capped by WithMaxRetryWait.
func TestRetryWaitsRetryDelay(t *testing.T) {
	s := newServer(t)
	m := newModel(t, s, gemini.WithMaxRetries(1), gemini.WithRetryBackoff(time.Millisecond, time.Millisecond), gemini.WithMaxRetryWait(50*time.Millisecond))
	s.EnqueueChat(geminitest.RateLimited(40*time.Millisecond), geminitest.Text("ok"))
	var ev retryEvents
	if _, err := m.Chat(ev.ctx(context.Background()), user("x")); err != nil {
		t.Fatal(err)
	}
	if e := ev.list(); len(e) != 1 || e[0].Delay != 40*time.Millisecond {
		t.Errorf("retry events = %+v, want one of 40ms", e)
	}

	s.EnqueueChat(geminitest.RateLimited(time.Hour), geminitest.Text("ok"))
	ev = retryEvents{}
	if _, err := m.Chat(ev.ctx(context.Background()), user("x")); err != nil {
		t.Fatal(err)
	}
	if e := ev.list(); len(e) != 1 || e[0].Delay != 50*time.Millisecond {
		t.Errorf("retry events = %+v, want one capped at 50ms", e)
	}
}

// TestRetryPastDeadline: a wait that would pass ctx's deadline is not
// started.
func TestRetryPastDeadline(t *testing.T) {
	s := newServer(t)
	m := newModel(t, s, gemini.WithMaxRetries(1))
	s.EnqueueChat(geminitest.RateLimited(30 * time.Second))
	start := time.Now()
	_, err := m.Chat(ctxTimeout(t, 5*time.Second), user("x"))
	if !errors.Is(err, llm.ErrRateLimited) || time.Since(start) > 4*time.Second {
		t.Errorf("err = %v after %v", err, time.Since(start))
	}
}

// TestAttemptTimeout: an attempt that gets no answer ends at WithTimeout
// with a retryable error matching context.DeadlineExceeded, and is
// retried.
func TestAttemptTimeout(t *testing.T) {
	s := newServer(t)
	m := newModel(t, s, gemini.WithTimeout(200*time.Millisecond), gemini.WithMaxRetries(1), gemini.WithRetryBackoff(time.Millisecond, time.Millisecond))
	s.EnqueueChat(geminitest.Hang(), geminitest.Text("second"))
	resp, err := m.Chat(ctxTimeout(t, 30*time.Second), user("x"))
	if err != nil || resp.Text() != "second" {
		t.Errorf("resp %q, err %v", resp.Text(), err)
	}
	s.EnqueueChat(geminitest.Hang(), geminitest.Hang())
	_, err = m.Chat(ctxTimeout(t, 30*time.Second), user("x"))
	var le *llm.Error
	if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &le) || !le.Retryable() {
		t.Errorf("err = %v", err)
	}
}

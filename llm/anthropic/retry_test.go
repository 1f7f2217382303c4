package anthropic_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/anthropictest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/anthropic"
)

// fast keeps the default retries but makes their backoff tiny.
var fast = anthropic.WithRetryBackoff(time.Millisecond, 2*time.Millisecond)

// newRetrying returns a model of the test server with the default retries
// (newModel turns them off) and a tiny backoff.
func newRetrying(t *testing.T, s *anthropictest.Server, opts ...anthropic.Option) *anthropic.Model {
	t.Helper()
	return newModel(t, s, append([]anthropic.Option{anthropic.WithMaxRetries(anthropic.DefaultMaxRetries), fast}, opts...)...)
}

func TestDefaultRetries(t *testing.T) {
	cases := []struct {
		name     string
		replies  []anthropictest.Reply
		opts     []anthropic.Option
		requests int
		wantErr  error
	}{
		{"529 and 500", []anthropictest.Reply{anthropictest.Overloaded(), anthropictest.ServerError(), anthropictest.Text("ok")}, nil, 3, nil},
		{"a 429 and a 503", []anthropictest.Reply{anthropictest.RateLimited(time.Millisecond), anthropictest.Unavailable(), anthropictest.Text("ok")}, nil, 3, nil},
		{"a cut body", []anthropictest.Reply{anthropictest.CutStream(""), anthropictest.Text("ok")}, nil, 2, nil},
		{"three failures give up", []anthropictest.Reply{anthropictest.Overloaded(), anthropictest.Overloaded(), anthropictest.Overloaded(), anthropictest.Text("ok")}, nil, 3, llm.ErrServer},
		{"retries off", []anthropictest.Reply{anthropictest.Overloaded(), anthropictest.Text("ok")}, []anthropic.Option{anthropic.WithMaxRetries(0)}, 1, llm.ErrServer},
		{"a bad request is not retried", []anthropictest.Reply{anthropictest.BadRequest("no"), anthropictest.Text("ok")}, nil, 1, llm.ErrBadRequest},
		{"a 401 is not retried", []anthropictest.Reply{anthropictest.Unauthorized(), anthropictest.Text("ok")}, nil, 1, llm.ErrAuth},
		{"a 404 is not retried", []anthropictest.Reply{anthropictest.NotFound("claude-x"), anthropictest.Text("ok")}, nil, 1, llm.ErrModelNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, stream := range []bool{false, true} {
				s := anthropictest.New(t)
				s.Enqueue(tc.replies...)
				m := newRetrying(t, s, tc.opts...)
				ctx, events := retryEvents(ctxTimeout(t, 20*time.Second))
				var (
					resp llm.Response
					err  error
				)
				if stream {
					resp, err = llm.Collect(m.Stream(ctx, user("x")))
				} else {
					resp, err = m.Chat(ctx, user("x"))
				}
				if tc.wantErr == nil && (err != nil || resp.Text() != "ok") {
					t.Fatalf("stream %v: got %q, %v; want ok", stream, resp.Text(), err)
				}
				if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
					t.Fatalf("stream %v: err = %v, want %v", stream, err, tc.wantErr)
				}
				if n := len(s.Requests()); n != tc.requests {
					t.Fatalf("stream %v: %d requests, want %d", stream, n, tc.requests)
				}
				if n := len(events()); n != min(tc.requests-1, 2) {
					t.Errorf("stream %v: %d chain.EventRetry, want %d", stream, n, tc.requests-1)
				}
			}
		})
	}
}

// TestRetryAfterHonouredAndCapped: the retry waits what the server's
// retry-after asks, capped by WithMaxRetryWait; a wait past the caller's
// deadline is not started.
func TestRetryAfterHonouredAndCapped(t *testing.T) {
	s := anthropictest.New(t)
	m := newRetrying(t, s, anthropic.WithMaxRetryWait(50*time.Millisecond))
	s.Enqueue(anthropictest.RateLimited(time.Hour), anthropictest.Text("ok"))
	ctx, events := retryEvents(ctxTimeout(t, 20*time.Second))
	if _, err := m.Chat(ctx, user("x")); err != nil {
		t.Fatal(err)
	}
	if ev := events(); len(ev) != 1 || ev[0].Delay != 50*time.Millisecond {
		t.Errorf("retry events %+v, want one of 50ms (the cap)", ev)
	}

	m = newRetrying(t, s)
	s.Enqueue(anthropictest.RateLimited(30*time.Second), anthropictest.Text("ok"))
	start := time.Now()
	_, err := m.Chat(ctxTimeout(t, 5*time.Second), user("x"))
	if !errors.Is(err, llm.ErrRateLimited) || !strings.Contains(err.Error(), "deadline") {
		t.Errorf("err = %v, want the 429 saying the wait passes the deadline", err)
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("the call waited %v", d)
	}
}

// TestStreamNotRetriedAfterFirstChunk: a stream cut after text reached the
// caller is not retried; one cut before is.
func TestStreamNotRetriedAfterFirstChunk(t *testing.T) {
	s := anthropictest.New(t)
	m := newRetrying(t, s)
	s.Enqueue(anthropictest.CutStream("partial"), anthropictest.Text("ok"))
	_, err := llm.Collect(m.Stream(ctxTimeout(t, 10*time.Second), user("x")))
	if !errors.Is(err, llm.ErrIncompleteStream) || len(s.Requests()) != 1 {
		t.Errorf("err %v after %d requests; want the cut, not retried", err, len(s.Requests()))
	}
	s = anthropictest.New(t)
	m = newRetrying(t, s)
	s.Enqueue(anthropictest.CutStream(""), anthropictest.Text("ok"))
	resp, err := llm.Collect(m.Stream(ctxTimeout(t, 10*time.Second), user("x")))
	if err != nil || resp.Text() != "ok" || len(s.Requests()) != 2 {
		t.Errorf("got %q, %v after %d requests; want ok after a retry", resp.Text(), err, len(s.Requests()))
	}
}

// TestAttemptTimeout: an attempt that gets no answer ends at WithTimeout
// with a retryable *llm.Error matching context.DeadlineExceeded, and is
// retried.
func TestAttemptTimeout(t *testing.T) {
	s := anthropictest.New(t)
	m := newRetrying(t, s, anthropic.WithTimeout(100*time.Millisecond))
	s.Enqueue(anthropictest.Hang(), anthropictest.Text("ok"))
	resp, err := m.Chat(ctxTimeout(t, 20*time.Second), user("x"))
	if err != nil || resp.Text() != "ok" {
		t.Fatalf("got %q, %v; want ok after the timed-out attempt", resp.Text(), err)
	}
	m = newModel(t, s, anthropic.WithTimeout(100*time.Millisecond))
	s.Enqueue(anthropictest.StallStream("partial"))
	_, err = llm.Collect(m.Stream(ctxTimeout(t, 20*time.Second), user("x")))
	var le *llm.Error
	if !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &le) || !le.Temporary {
		t.Errorf("stalled stream: %v, want a temporary *llm.Error matching context.DeadlineExceeded", err)
	}
}

// TestChainRetryComposes: a chain.Retry around the model recovers from a
// failure the adapter does not retry (its retries off), waiting the
// retry-after.
func TestChainRetryComposes(t *testing.T) {
	s := anthropictest.New(t)
	m := newModel(t, s)
	s.Enqueue(anthropictest.RateLimited(3*time.Second), anthropictest.Text("ok"))
	c := chain.Retry(llm.ChatChain(m), chain.Attempts(2), chain.RetryClock(&fakeClock{}))
	resp, err := c.Run(ctxTimeout(t, 10*time.Second), user("x"))
	if err != nil || resp.Text() != "ok" {
		t.Errorf("got %q, %v", resp.Text(), err)
	}
}

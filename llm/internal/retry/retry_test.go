package retry

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fixed is a jitter source that always draws r.
func fixed(r float64) func() float64 { return func() float64 { return r } }

// temporary is a retryable failure, with the server's wait if any.
func temporary(wait time.Duration) *llm.Error {
	return &llm.Error{Provider: "p", Model: "m", StatusCode: 503, Message: "busy", Temporary: true, Wait: wait}
}

// next calls p.Next and fails the test unless it says to wait.
func next(t *testing.T, p *Policy, ctx context.Context, attempt int, err error) time.Duration {
	t.Helper()
	d, again, final := p.Next(ctx, attempt, err)
	if !again || final != nil {
		t.Fatalf("attempt %d: Next = %v, %v, %v; want a wait", attempt, d, again, final)
	}
	return d
}

func TestDefault(t *testing.T) {
	p := Default()
	want := Policy{MaxRetries: 2, Initial: 500 * time.Millisecond, Max: 8 * time.Second, MaxWait: time.Minute, Timeout: 10 * time.Minute}
	if !reflect.DeepEqual(p, want) {
		t.Fatalf("Default() = %+v, want %+v", p, want)
	}
}

// The backoff doubles from Initial up to Max; the jitter takes up to a
// quarter off, never more, never adds.
func TestBackoffGrowthAndJitter(t *testing.T) {
	p := Policy{MaxRetries: 10, Initial: 10 * time.Millisecond, Max: 80 * time.Millisecond, MaxWait: time.Minute, Random: fixed(0)}
	want := []time.Duration{10, 20, 40, 80, 80, 80}
	for i := range want {
		want[i] *= time.Millisecond
	}
	ctx := context.Background()

	p.Random = fixed(0) // no jitter: the whole backoff
	for attempt, w := range want {
		if d := next(t, &p, ctx, attempt, temporary(0)); d != w {
			t.Errorf("no jitter, attempt %d: wait %v, want %v", attempt, d, w)
		}
	}
	p.Random = fixed(0.999999) // the most jitter: a quarter off
	for attempt, w := range want {
		if d, lo := next(t, &p, ctx, attempt, temporary(0)), w*3/4; d < lo || d > lo+w/1000 {
			t.Errorf("most jitter, attempt %d: wait %v, want about %v", attempt, d, lo)
		}
	}
	p.Random = nil // the real source: always within the bounds
	for attempt, w := range want {
		for range 200 {
			if d := next(t, &p, ctx, attempt, temporary(0)); d < w*3/4 || d > w {
				t.Fatalf("attempt %d: wait %v, want within [%v, %v]", attempt, d, w*3/4, w)
			}
		}
	}
}

// A server's Retry-After longer than the backoff is waited, up to
// MaxWait; a shorter one leaves the backoff; a backoff above MaxWait is
// not cut to it.
func TestRetryAfterHonouredAndCapped(t *testing.T) {
	ctx := context.Background()
	p := Policy{MaxRetries: 2, Initial: 10 * time.Millisecond, Max: 10 * time.Millisecond, MaxWait: 50 * time.Millisecond, Random: fixed(0)}
	cases := []struct {
		name       string
		p          Policy
		wait, want time.Duration
	}{
		{"longer than the backoff", p, 30 * time.Millisecond, 30 * time.Millisecond},
		{"shorter than the backoff", p, 2 * time.Millisecond, 10 * time.Millisecond},
		{"capped", p, 2 * time.Hour, 50 * time.Millisecond},
		{"a cap under the backoff", Policy{MaxRetries: 2, Initial: 10 * time.Millisecond, Max: 10 * time.Millisecond, MaxWait: 5 * time.Millisecond, Random: fixed(0)}, time.Hour, 10 * time.Millisecond},
	}
	for _, tc := range cases {
		if d := next(t, &tc.p, ctx, 0, temporary(tc.wait)); d != tc.want {
			t.Errorf("%s: wait %v, want %v", tc.name, d, tc.want)
		}
	}
}

// Each wait is announced to hooks as chain.EventRetry, with the attempt
// that follows and the wait.
func TestRetryEvents(t *testing.T) {
	var events []chain.Event
	ctx := chain.WithHooks(context.Background(), chain.HookFuncs{OnEvent: func(_ context.Context, _ chain.NodeInfo, e chain.Event) {
		events = append(events, e)
	}})
	p := Policy{MaxRetries: 2, Initial: time.Millisecond, Max: time.Millisecond, MaxWait: time.Minute, Random: fixed(0)}
	calls := 0
	_, err := Do(ctx, &p, "p", "m", func(context.Context) (int, error) {
		calls++
		return 0, temporary(3 * time.Millisecond)
	})
	if calls != 3 || err == nil {
		t.Fatalf("%d calls, err %v; want 3 calls and the last error", calls, err)
	}
	if len(events) != 2 {
		t.Fatalf("%d events, want 2: %+v", len(events), events)
	}
	for i, e := range events {
		if e.Kind != chain.EventRetry || e.Attempt != i+1 || e.Delay != 3*time.Millisecond || e.Err == nil {
			t.Errorf("event %d = %+v, want retry %d after 3ms", i, e, i+1)
		}
	}
}

// A wait that would pass the caller's deadline is not started: Next gives
// up at once with an error that says the wait (the server's, uncapped,
// when it asked) and keeps the failure reachable.
func TestWaitPastTheDeadlineFailsAtOnce(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	p := Policy{MaxRetries: 2, Initial: time.Millisecond, Max: time.Millisecond, MaxWait: 30 * time.Minute, Random: fixed(0)}
	cause := temporary(90 * time.Minute)
	_, again, final := p.Next(ctx, 0, cause)
	if again || !errors.Is(final, cause) || !strings.Contains(final.Error(), "server asked to wait 1h30m0s, past the caller's deadline") {
		t.Fatalf("again %v, err %v; want the server's wait, past the deadline", again, final)
	}
	if d, ok := chain.RetryAfter(final); !ok || d != 90*time.Minute {
		t.Errorf("RetryAfter = %v, %v; want the server's 1h30m", d, ok)
	}

	p = Policy{MaxRetries: 2, Initial: time.Hour, Max: time.Hour, MaxWait: time.Minute, Random: fixed(0)}
	_, again, final = p.Next(ctx, 0, temporary(0))
	if again || !strings.Contains(final.Error(), "the next attempt, in 1h0m0s, would start past the caller's deadline") {
		t.Fatalf("again %v, err %v; want the backoff, past the deadline", again, final)
	}
}

// Errors that say a retry would not help are returned at once, as they
// are; so is every error once the retries ran out or ctx ended.
func TestNoRetry(t *testing.T) {
	p := Policy{MaxRetries: 2, Initial: time.Millisecond, Max: time.Millisecond, MaxWait: time.Minute, Random: fixed(0)}
	for name, cause := range map[string]error{
		"not retryable":   &llm.Error{Provider: "p", StatusCode: 400, Message: "bad"},
		"a plain error":   errors.New("plain"),
		"invalid request": llm.ErrInvalidRequest,
	} {
		calls := 0
		_, err := Do(context.Background(), &p, "p", "m", func(context.Context) (int, error) {
			calls++
			return 0, cause
		})
		if calls != 1 || err != cause {
			t.Errorf("%s: %d calls, err %v; want 1 call and the error itself", name, calls, err)
		}
	}
	if _, again, err := p.Next(context.Background(), 2, temporary(0)); again || err == nil {
		t.Errorf("after MaxRetries: again %v, err %v", again, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, again, err := p.Next(ctx, 0, temporary(0)); again || err == nil {
		t.Errorf("ctx ended: again %v, err %v", again, err)
	}
	zero := Policy{}
	calls := 0
	if _, err := Do(context.Background(), &zero, "p", "m", func(context.Context) (int, error) { calls++; return 0, temporary(0) }); calls != 1 || err == nil {
		t.Errorf("the zero Policy: %d calls, err %v; want one attempt", calls, err)
	}
}

// A caller that gives up during a wait gets its cause at once, naming the
// failure that led to the wait; no goroutine is left.
func TestCancelDuringWait(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	waiting := make(chan struct{}, 1)
	ctx, cancel := context.WithCancel(chain.WithHooks(context.Background(), chain.HookFuncs{OnEvent: func(_ context.Context, _ chain.NodeInfo, e chain.Event) {
		if e.Kind == chain.EventRetry {
			waiting <- struct{}{}
		}
	}}))
	defer cancel()
	var wg sync.WaitGroup
	wg.Go(func() {
		<-waiting
		cancel()
	})
	p := Policy{MaxRetries: 2, Initial: time.Hour, Max: time.Hour, MaxWait: time.Hour, Random: fixed(0)}
	calls := 0
	_, err := Do(ctx, &p, "p", "m", func(context.Context) (int, error) {
		calls++
		return 0, temporary(0)
	})
	wg.Wait()
	if calls != 1 || !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "waiting to retry: context canceled (last error: p m: HTTP 503: busy)") {
		t.Fatalf("%d calls, err %v; want the cancellation during the wait", calls, err)
	}
}

// Each attempt runs under Timeout: one that it ends is a retryable
// *llm.Error matching context.DeadlineExceeded, retried; a caller's
// deadline that comes first is the caller's error, not retried.
func TestAttemptTimeout(t *testing.T) {
	hang := func(calls *int) func(context.Context) (int, error) {
		return func(ctx context.Context) (int, error) {
			*calls++
			<-ctx.Done()
			return 0, ctx.Err()
		}
	}
	p := Policy{MaxRetries: 1, Initial: time.Millisecond, Max: time.Millisecond, MaxWait: time.Minute, Timeout: 20 * time.Millisecond, Random: fixed(0)}
	calls := 0
	_, err := Do(context.Background(), &p, "p", "m", hang(&calls))
	var le *llm.Error
	if calls != 2 || !errors.As(err, &le) || !errors.Is(err, context.DeadlineExceeded) || !chain.IsRetryable(err) ||
		!strings.Contains(err.Error(), "no answer within 20ms (the adapter's timeout)") {
		t.Fatalf("%d calls, err %v; want 2 attempts ended by the timeout", calls, err)
	}

	p.Timeout = time.Hour
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	calls = 0
	_, err = Do(ctx, &p, "p", "m", hang(&calls))
	if calls != 1 || err != context.DeadlineExceeded {
		t.Fatalf("%d calls, err %v; want the caller's deadline, once", calls, err)
	}
}

func TestSetters(t *testing.T) {
	var p Policy
	for name, err := range map[string]error{
		"SetMaxRetries(-1)":     p.SetMaxRetries(-1),
		"SetBackoff(0, 1s)":     p.SetBackoff(0, time.Second),
		"SetBackoff(2s, 1s)":    p.SetBackoff(2*time.Second, time.Second),
		"SetMaxWait(0)":         p.SetMaxWait(0),
		"SetTimeout(-1ns)":      p.SetTimeout(-1),
		"SetMaxWait(-1 minute)": p.SetMaxWait(-time.Minute),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if !reflect.DeepEqual(p, Policy{}) {
		t.Errorf("a refused value changed the policy: %+v", p)
	}
	if p.SetMaxRetries(0) != nil || p.SetBackoff(time.Second, time.Second) != nil || p.SetMaxWait(time.Second) != nil || p.SetTimeout(0) != nil {
		t.Fatal("a valid value refused")
	}
	if want := (Policy{Initial: time.Second, Max: time.Second, MaxWait: time.Second}); !reflect.DeepEqual(p, want) {
		t.Errorf("policy %+v, want %+v", p, want)
	}
}

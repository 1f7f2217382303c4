package chain_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
)

// flaky fails with errs in turn, then answers.
func flaky(calls *atomic.Int32, errs ...error) chain.Chain[int, int] {
	return chain.Fn(func(ctx context.Context, x int) (int, error) {
		n := int(calls.Add(1)) - 1
		if n < len(errs) {
			return 0, errs[n]
		}
		return x, nil
	})
}

func TestRetry(t *testing.T) {
	permanent := errors.New("bad request")
	cases := []struct {
		name      string
		errs      []error
		opts      []chain.RetryOption
		wantCalls int32
		wantErr   error
		wantWaits []time.Duration
	}{
		{"succeeds after transient errors", []error{retryableErr{}, retryableErr{}}, nil, 3, nil,
			[]time.Duration{100 * time.Millisecond, 200 * time.Millisecond}},
		{"gives up after attempts", []error{retryableErr{}, retryableErr{}, retryableErr{}}, nil, 3, retryableErr{},
			[]time.Duration{100 * time.Millisecond, 200 * time.Millisecond}},
		{"does not retry permanent errors", []error{permanent}, nil, 1, permanent, nil},
		{"marked retryable", []error{chain.MarkRetryable(permanent)}, nil, 2, nil, []time.Duration{100 * time.Millisecond}},
		{"honours Retry-After", []error{retryableErr{after: 3 * time.Second}}, nil, 2, nil, []time.Duration{3 * time.Second}},
		{"backoff capped", []error{retryableErr{}, retryableErr{}, retryableErr{}, retryableErr{}}, []chain.RetryOption{chain.Attempts(5), chain.Backoff(100*time.Millisecond, 300*time.Millisecond)}, 5, nil,
			[]time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 300 * time.Millisecond, 300 * time.Millisecond}},
		{"max elapsed stops before a long wait", []error{retryableErr{}, retryableErr{after: time.Minute}}, []chain.RetryOption{chain.MaxElapsed(10 * time.Second)}, 2, retryableErr{after: time.Minute},
			[]time.Duration{100 * time.Millisecond}},
		{"custom classifier", []error{permanent}, []chain.RetryOption{chain.RetryIf(func(err error) bool { return errors.Is(err, permanent) })}, 2, nil,
			[]time.Duration{100 * time.Millisecond}},
		{"panics are not retried", nil, nil, 1, chain.ErrPanic, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clk := newFakeClock(true)
			var calls atomic.Int32
			c := flaky(&calls, tc.errs...)
			if tc.wantErr == chain.ErrPanic {
				c = chain.Fn(func(ctx context.Context, x int) (int, error) { calls.Add(1); panic("x") })
			}
			opts := append([]chain.RetryOption{chain.Backoff(100*time.Millisecond, time.Second), chain.Jitter(0), chain.RetryClock(clk)}, tc.opts...)
			_, err := chain.Retry(c, opts...).Run(context.Background(), 1)
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if calls.Load() != tc.wantCalls {
				t.Fatalf("%d calls, want %d", calls.Load(), tc.wantCalls)
			}
			if got := clk.Waits(); len(got) != len(tc.wantWaits) || (len(got) > 0 && !equalDurations(got, tc.wantWaits)) {
				t.Fatalf("waits %v, want %v", got, tc.wantWaits)
			}
			var re *chain.RetryError
			if tc.wantCalls > 1 && err != nil && (!errors.As(err, &re) || re.Attempts != int(tc.wantCalls)) {
				t.Fatalf("err = %#v, want *RetryError", err)
			}
		})
	}
}

func equalDurations(a, b []time.Duration) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRetryJitter(t *testing.T) {
	clk := newFakeClock(true)
	var calls atomic.Int32
	c := chain.Retry(flaky(&calls, retryableErr{}, retryableErr{}, retryableErr{}, retryableErr{}), chain.Attempts(5),
		chain.Backoff(time.Second, time.Second), chain.Jitter(0.5), chain.RetryClock(clk))
	if _, err := c.Run(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	for _, w := range clk.Waits() {
		if w < 500*time.Millisecond || w > time.Second {
			t.Fatalf("wait %v outside [0.5s, 1s]", w)
		}
	}
}

func TestRetryCancelWhileWaiting(t *testing.T) {
	clk := newFakeClock(false) // never fires: the wait only ends by cancel
	var calls atomic.Int32
	c := chain.Retry(flaky(&calls, retryableErr{}, retryableErr{}), chain.RetryClock(clk))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := c.Run(ctx, 1); done <- err }()
	for len(clk.Waits()) == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if calls.Load() != 1 {
		t.Fatalf("%d calls", calls.Load())
	}
	started := make(chan struct{}, 1)
	r := chain.Retry(block[int](started))
	cancelAfterStart(t, func(ctx context.Context) (int, error) { return r.Run(ctx, 1) }, started, 1)
}

func TestTimeout(t *testing.T) {
	c := chain.Timeout(block[int](nil), 10*time.Millisecond)
	_, err := c.Run(context.Background(), 1)
	var te *chain.TimeoutError
	if !errors.As(err, &te) || !errors.Is(err, chain.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) || !chain.IsRetryable(err) {
		t.Fatalf("err = %v", err)
	}
	if got, err := chain.Timeout(add(1), time.Second).Run(context.Background(), 1); got != 2 || err != nil {
		t.Fatal(got, err)
	}
	started := make(chan struct{}, 1)
	long := chain.Timeout(block[int](started), time.Hour)
	cancelAfterStart(t, func(ctx context.Context) (int, error) { return long.Run(ctx, 1) }, started, 1)
	// The caller's own deadline is not reported as this node's timeout.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	if _, err := long.Run(ctx, 1); errors.As(err, &te) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("caller deadline: err = %v", err)
	}
}

func TestRetryAroundTimeout(t *testing.T) {
	var calls atomic.Int32
	slowOnce := chain.Fn(func(ctx context.Context, x int) (int, error) {
		if calls.Add(1) == 1 {
			<-ctx.Done()
			return 0, ctx.Err()
		}
		return x, nil
	})
	c := chain.Retry(chain.Timeout(slowOnce, 5*time.Millisecond), chain.Backoff(time.Millisecond, time.Millisecond))
	if got, err := c.Run(context.Background(), 7); got != 7 || err != nil {
		t.Fatal(got, err)
	}
}

func TestFallback(t *testing.T) {
	boom := errors.New("model down")
	rule := const_(42)
	got, err := chain.Fallback(fail[int](boom), fail[int](boom), chain.Named("rule", rule)).Run(context.Background(), 1)
	if got != 42 || err != nil {
		t.Fatal(got, err)
	}
	trace, err := chain.FallbackTrace(fail[int](boom), chain.Named("rule", rule)).Run(context.Background(), 1)
	if err != nil || trace.Value != 42 || trace.Index != 1 || trace.Name != "rule" || len(trace.Errors) != 1 || !errors.Is(trace.Errors[0], boom) {
		t.Fatalf("trace %+v %v", trace, err)
	}
	primary, _ := chain.FallbackTrace(const_(1), rule).Run(context.Background(), 1)
	if primary.Index != 0 || primary.Value != 1 {
		t.Fatalf("primary %+v", primary)
	}
	other := errors.New("also down")
	_, err = chain.Fallback(fail[int](boom), fail[int](other)).Run(context.Background(), 1)
	var fe *chain.FallbackError
	if !errors.As(err, &fe) || len(fe.Errs) != 2 || !errors.Is(err, boom) || !errors.Is(err, other) {
		t.Fatalf("err = %v", err)
	}
	started := make(chan struct{}, 1)
	var second atomic.Bool
	f := chain.Fallback(block[int](started), chain.Fn(func(ctx context.Context, x int) (int, error) { second.Store(true); return x, nil }))
	cancelAfterStart(t, func(ctx context.Context) (int, error) { return f.Run(ctx, 1) }, started, 1)
	if second.Load() {
		t.Fatal("fallback ran after the caller cancelled")
	}
}

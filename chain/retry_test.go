package chain_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/chaintest"
)

func TestRetryCapsRetryAfter(t *testing.T) {
	cases := []struct {
		name  string
		after time.Duration
		opts  []chain.RetryOption
		want  time.Duration
	}{
		{"default cap", 2 * time.Hour, nil, chain.DefaultMaxRetryAfter},
		{"under the cap", 30 * time.Second, nil, 30 * time.Second},
		{"own cap", time.Minute, []chain.RetryOption{chain.MaxRetryAfter(5 * time.Second)}, 5 * time.Second},
		{"cap below the backoff keeps the backoff", time.Minute, []chain.RetryOption{chain.MaxRetryAfter(time.Millisecond)}, 100 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clk := chaintest.NewAutoClock(time.Unix(0, 0))
			var calls atomic.Int32
			opts := append([]chain.RetryOption{chain.Backoff(100*time.Millisecond, time.Second), chain.Jitter(0), chain.RetryClock(clk)}, tc.opts...)
			if _, err := chain.Retry(flaky(&calls, retryableErr{after: tc.after}), opts...).Run(context.Background(), 1); err != nil {
				t.Fatal(err)
			}
			if got := clk.Waits(); len(got) != 1 || got[0] != tc.want {
				t.Fatalf("waits %v, want [%v]", got, tc.want)
			}
		})
	}
}

func TestRetryMaxElapsedStillAppliesToCappedWait(t *testing.T) {
	clk := chaintest.NewAutoClock(time.Unix(0, 0))
	var calls atomic.Int32
	c := chain.Retry(flaky(&calls, retryableErr{after: time.Hour}), chain.RetryClock(clk), chain.MaxElapsed(30*time.Second))
	if _, err := c.Run(context.Background(), 1); !errors.Is(err, retryableErr{after: time.Hour}) || calls.Load() != 1 {
		t.Fatalf("err = %v after %d calls, want the first error after 1 call", err, calls.Load())
	}
}

func TestRetryNeverWaitsPastTheDeadline(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	t.Run("server's wait", func(t *testing.T) {
		clk := chaintest.NewClock(time.Unix(0, 0)) // never fires: a wait would block the test
		var calls atomic.Int32
		first := retryableErr{after: 90 * time.Second}
		c := chain.Retry(flaky(&calls, first), chain.RetryClock(clk), chain.MaxRetryAfter(5*time.Minute))
		_, err := c.Run(ctx, 1)
		if !errors.Is(err, first) || !strings.Contains(err.Error(), "server asked to wait 1m30s, past the caller's deadline") {
			t.Fatalf("err = %v", err)
		}
		if d, ok := chain.RetryAfter(err); !ok || d != 90*time.Second {
			t.Fatalf("RetryAfter(err) = %v, %v; the server's wait should stay in the error", d, ok)
		}
		if calls.Load() != 1 || len(clk.Waits()) != 0 {
			t.Fatalf("%d calls, waits %v; want 1 call and no wait", calls.Load(), clk.Waits())
		}
	})
	t.Run("backoff", func(t *testing.T) {
		clk := chaintest.NewClock(time.Unix(0, 0))
		var calls atomic.Int32
		c := chain.Retry(flaky(&calls, retryableErr{}), chain.RetryClock(clk), chain.Backoff(2*time.Minute, 2*time.Minute), chain.Jitter(0))
		_, err := c.Run(ctx, 1)
		if !errors.Is(err, retryableErr{}) || !strings.Contains(err.Error(), "the next attempt, in 2m0s, would start past the caller's deadline") {
			t.Fatalf("err = %v", err)
		}
		if len(clk.Waits()) != 0 {
			t.Fatalf("waits %v", clk.Waits())
		}
	})
	t.Run("a wait that fits", func(t *testing.T) {
		clk := chaintest.NewAutoClock(time.Unix(0, 0))
		var calls atomic.Int32
		c := chain.Retry(flaky(&calls, retryableErr{after: 20 * time.Second}), chain.RetryClock(clk))
		if _, err := c.Run(ctx, 1); err != nil {
			t.Fatal(err)
		}
		if got := clk.Waits(); len(got) != 1 || got[0] != 20*time.Second {
			t.Fatalf("waits %v", got)
		}
	})
}

func TestMaxRetryAfterRejectsNonPositive(t *testing.T) {
	for _, d := range []time.Duration{0, -time.Second} {
		func() {
			defer func() {
				if err, _ := recover().(error); !errors.Is(err, chain.ErrConfig) {
					t.Fatalf("MaxRetryAfter(%v) panicked with %v, want a chain.ErrConfig", d, err)
				}
			}()
			chain.MaxRetryAfter(d)
		}()
	}
}

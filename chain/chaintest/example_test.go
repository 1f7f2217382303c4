package chaintest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/chaintest"
)

// transient fails retryably.
type transient struct{}

func (transient) Error() string   { return "busy" }
func (transient) Retryable() bool { return true }

// A retry's backoff, observed without sleeping.
func ExampleNewAutoClock() {
	clk := chaintest.NewAutoClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	calls := 0
	flaky := chain.Fn(func(ctx context.Context, x int) (int, error) {
		if calls++; calls < 3 {
			return 0, transient{}
		}
		return x, nil
	})
	r := chain.Retry(flaky, chain.Backoff(time.Second, time.Minute), chain.Jitter(0), chain.RetryClock(clk))
	out, err := r.Run(context.Background(), 7)
	fmt.Println(out, err, clk.Waits())
	// Output: 7 <nil> [1s 2s]
}

// A breaker's cooldown, passed by hand.
func ExampleNewClock() {
	clk := chaintest.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	down := chain.Fn(func(ctx context.Context, x int) (int, error) { return 0, fmt.Errorf("down") })
	b := chain.Breaker(down, chain.Threshold(1), chain.Cooldown(time.Minute), chain.BreakerClock(clk))
	_, _ = b.Run(context.Background(), 1)
	fmt.Println(b.State())
	clk.Advance(time.Minute)
	_, _ = b.Run(context.Background(), 1) // the probe fails: open again
	fmt.Println(b.State())
	// Output:
	// open
	// open
}

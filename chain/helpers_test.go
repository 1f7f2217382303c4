package chain_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/chain"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakeClock is a manual clock. After fires at once and records the wait
// when auto is set (for Retry), else when Advance passes its deadline.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	auto    bool
	waits   []time.Duration
	pending []fakeTimer
}

type fakeTimer struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock(auto bool) *fakeClock {
	return &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), auto: auto}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	ch := make(chan time.Time, 1)
	if c.auto {
		c.now = c.now.Add(d)
		ch <- c.now
		return ch
	}
	c.pending = append(c.pending, fakeTimer{c.now.Add(d), ch})
	return ch
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.pending[:0]
	for _, t := range c.pending {
		if !t.at.After(c.now) {
			t.ch <- c.now
		} else {
			kept = append(kept, t)
		}
	}
	c.pending = kept
}

func (c *fakeClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

// add returns a chain adding n.
func add(n int) chain.Chain[int, int] {
	return chain.Fn(func(ctx context.Context, x int) (int, error) { return x + n, nil })
}

// fail returns a chain that always fails with err.
func fail[O any](err error) chain.Chain[int, O] {
	return chain.Fn(func(ctx context.Context, _ int) (O, error) {
		var zero O
		return zero, err
	})
}

// block returns a chain that blocks until ctx ends, signalling started.
func block[O any](started chan<- struct{}) chain.Chain[int, O] {
	return chain.Fn(func(ctx context.Context, _ int) (O, error) {
		if started != nil {
			started <- struct{}{}
		}
		<-ctx.Done()
		var zero O
		return zero, ctx.Err()
	})
}

func const_[O any](v O) chain.Chain[int, O] {
	return chain.Fn(func(ctx context.Context, _ int) (O, error) { return v, nil })
}

// cancelAfterStart runs c with a context cancelled once n children have
// started, and checks the call returns context.Canceled promptly.
func cancelAfterStart[O any](t *testing.T, run func(ctx context.Context) (O, error), started <-chan struct{}, n int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := run(ctx)
		done <- err
	}()
	for range n {
		select {
		case <-started:
		case <-time.After(5 * time.Second):
			t.Fatal("children did not start")
		}
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("did not return after cancel")
	}
}

// retryableErr is a retryable error with an optional Retry-After.
type retryableErr struct {
	after time.Duration
}

func (e retryableErr) Error() string             { return "transient" }
func (e retryableErr) Retryable() bool           { return true }
func (e retryableErr) RetryAfter() time.Duration { return e.after }

// mustPanicConfig checks f panics with a *chain.ConfigError.
func mustPanicConfig(t *testing.T, name string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		err, ok := r.(error)
		if !ok || !errors.Is(err, chain.ErrConfig) {
			t.Errorf("%s: panic = %v, want a *ConfigError", name, r)
		}
	}()
	f()
}

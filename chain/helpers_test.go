package chain_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/chain"

	"github.com/chorus-go/chorus/chain/chaintest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// newFakeClock returns a chaintest clock: auto, waits end at once and move
// it; else it moves only by Advance.
func newFakeClock(auto bool) *chaintest.Clock {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if auto {
		return chaintest.NewAutoClock(start)
	}
	return chaintest.NewClock(start)
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

package chain

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// RetryOption configures Retry.
type RetryOption func(*retryConfig)

type retryConfig struct {
	attempts   int
	initial    time.Duration
	max        time.Duration
	jitter     float64
	maxElapsed time.Duration
	retryIf    func(error) bool
	clock      Clock
}

// Attempts sets the most attempts Retry makes, the first included
// (default 3). It panics if n < 1.
func Attempts(n int) RetryOption {
	if n < 1 {
		panic(configError("Attempts", "attempts must be at least 1, got %d", n))
	}
	return func(c *retryConfig) { c.attempts = n }
}

// Backoff sets the wait before the second attempt and the cap on any wait
// (defaults 200ms and 10s); each wait doubles the previous one. It panics
// if initial <= 0 or max < initial.
func Backoff(initial, max time.Duration) RetryOption {
	if initial <= 0 || max < initial {
		panic(configError("Backoff", "need 0 < initial <= max, got %v and %v", initial, max))
	}
	return func(c *retryConfig) { c.initial, c.max = initial, max }
}

// Jitter sets the fraction of each wait that is randomised (default 0.2: a
// wait of d becomes a random duration in [0.8d, d]), so that many callers
// do not retry in step. It panics if f is outside [0, 1].
func Jitter(f float64) RetryOption {
	if !(f >= 0 && f <= 1) {
		panic(configError("Jitter", "jitter must be in [0, 1], got %v", f))
	}
	return func(c *retryConfig) { c.jitter = f }
}

// MaxElapsed bounds the total time Retry spends, waits included: it does
// not start a wait that would end past it. Zero (the default) means no
// bound beyond the attempts and ctx. It panics if d < 0.
func MaxElapsed(d time.Duration) RetryOption {
	if d < 0 {
		panic(configError("MaxElapsed", "negative duration %v", d))
	}
	return func(c *retryConfig) { c.maxElapsed = d }
}

// RetryIf replaces the classification of errors worth retrying (default:
// IsRetryable). Context cancellation and panics are never retried.
func RetryIf(f func(error) bool) RetryOption {
	if f == nil {
		panic(configError("RetryIf", "nil function"))
	}
	return func(c *retryConfig) { c.retryIf = f }
}

// RetryClock sets the clock Retry waits on (default: the real one).
func RetryClock(clk Clock) RetryOption {
	if clk == nil {
		panic(configError("RetryClock", "nil clock"))
	}
	return func(c *retryConfig) { c.clock = clk }
}

// Retry calls c again when it fails with a retryable error (IsRetryable:
// a model's 429 or 5xx, a Timeout), waiting with exponential backoff and
// jitter between attempts. When the error carries a Retry-After
// (RetryAfterError), the wait is at least that long. When it gives up
// after more than one attempt it returns a *RetryError wrapping the last
// error; a non-retryable error is returned as it is.
func Retry[I, O any](c Chain[I, O], opts ...RetryOption) Chain[I, O] {
	if isNil(c) {
		panic(configError("Retry", "nil chain"))
	}
	cfg := retryConfig{attempts: 3, initial: 200 * time.Millisecond, max: 10 * time.Second, jitter: 0.2, retryIf: IsRetryable, clock: realClock{}}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	return &retry[I, O]{meta: newMeta(KindRetry), c: c, cfg: cfg}
}

type retry[I, O any] struct {
	meta
	c   Chain[I, O]
	cfg retryConfig
}

func (r *retry[I, O]) Run(ctx context.Context, in I) (O, error) {
	return observe(ctx, &r.meta, in, r.run)
}

func (r *retry[I, O]) run(ctx context.Context, in I) (O, error) {
	var start time.Time
	if r.cfg.maxElapsed > 0 {
		start = r.cfg.clock.Now()
	}
	wait := r.cfg.initial
	for attempt := 1; ; attempt++ {
		out, err := r.c.Run(ctx, in)
		if err == nil {
			return out, nil
		}
		var zero O
		if ctx.Err() != nil || errors.Is(err, ErrPanic) || errors.Is(err, context.Canceled) || !r.cfg.retryIf(err) {
			return zero, r.giveUp(attempt, err)
		}
		if attempt >= r.cfg.attempts {
			return zero, r.giveUp(attempt, err)
		}
		delay := r.jittered(wait)
		if after, ok := RetryAfter(err); ok && after > delay {
			delay = after
		}
		if r.cfg.maxElapsed > 0 && r.cfg.clock.Now().Add(delay).Sub(start) > r.cfg.maxElapsed {
			return zero, r.giveUp(attempt, err)
		}
		Emit(ctx, Event{Kind: EventRetry, Attempt: attempt, Delay: delay, Err: err})
		select {
		case <-ctx.Done():
			return zero, fmt.Errorf("waiting to retry: %w (last error: %v)", context.Cause(ctx), err)
		case <-r.cfg.clock.After(delay):
		}
		wait = min(2*wait, r.cfg.max)
	}
}

func (r *retry[I, O]) giveUp(attempts int, err error) error {
	if attempts == 1 {
		return err
	}
	return &RetryError{Node: r.info.Name, Attempts: attempts, Err: err}
}

func (r *retry[I, O]) jittered(d time.Duration) time.Duration {
	if r.cfg.jitter == 0 {
		return d
	}
	return d - time.Duration(rand.Float64()*r.cfg.jitter*float64(d))
}

func (r *retry[I, O]) Describe() Node {
	return Node{Kind: KindRetry, Name: r.nodeName(), Detail: fmt.Sprintf("%d attempts", r.cfg.attempts), Children: []Node{Describe(r.c)}, Chain: r}
}

func (r *retry[I, O]) rename(name string) any {
	c := *r
	c.meta = c.meta.renamed(name)
	return &c
}

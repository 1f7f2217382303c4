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
	maxAfter   time.Duration
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

// DefaultMaxRetryAfter is the longest server-requested wait (Retry-After)
// Retry obeys unless MaxRetryAfter says otherwise.
const DefaultMaxRetryAfter = 60 * time.Second

// MaxRetryAfter caps the wait Retry takes on a server's Retry-After
// (default DefaultMaxRetryAfter), so that a server cannot make a caller
// sleep for hours: a longer request is cut to d. MaxElapsed and the
// caller's deadline still apply. It panics if d <= 0.
func MaxRetryAfter(d time.Duration) RetryOption {
	if d <= 0 {
		panic(configError("MaxRetryAfter", "duration must be positive, got %v", d))
	}
	return func(c *retryConfig) { c.maxAfter = d }
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
// (RetryAfterError), the wait is at least that long, up to MaxRetryAfter
// (60s by default). It never waits past the caller's deadline: when the
// next wait would end after ctx's deadline it gives up at once, with an
// error that says the wait ("server asked to wait 1m30s, past the
// caller's deadline: ...") and still carries the last error. When it gives up
// after more than one attempt it returns a *RetryError wrapping the last
// error; a non-retryable error is returned as it is.
func Retry[I, O any](c Chain[I, O], opts ...RetryOption) Chain[I, O] {
	if isNil(c) {
		panic(configError("Retry", "nil chain"))
	}
	cfg := retryConfig{attempts: 3, initial: 200 * time.Millisecond, max: 10 * time.Second, jitter: 0.2, maxAfter: DefaultMaxRetryAfter, retryIf: IsRetryable, clock: realClock{}}
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
		after, asked := RetryAfter(err)
		asked = asked && after > delay
		if asked {
			delay = min(after, max(r.cfg.maxAfter, delay))
		}
		if r.cfg.maxElapsed > 0 && r.cfg.clock.Now().Add(delay).Sub(start) > r.cfg.maxElapsed {
			return zero, r.giveUp(attempt, err)
		}
		if deadline, ok := ctx.Deadline(); ok && delay > time.Until(deadline) {
			if asked {
				return zero, r.giveUp(attempt, PastDeadline(err, after, true))
			}
			return zero, r.giveUp(attempt, PastDeadline(err, delay, false))
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

// PastDeadline returns err wrapped so that its message says a wait of d
// would end past the caller's deadline: "server asked to wait 1m30s, past
// the caller's deadline: ..." when the server asked for it (fromServer),
// else "the next attempt, in 2s, would start past the caller's deadline:
// ...". errors.Is and errors.As still find err and what it wraps
// (IsRetryable, RetryAfter). Retry returns it, and so do the first-party
// model adapters, which retry on their own.
func PastDeadline(err error, d time.Duration, fromServer bool) error {
	if fromServer {
		return fmt.Errorf("server asked to wait %v, past the caller's deadline: %w", d, err)
	}
	return fmt.Errorf("the next attempt, in %v, would start past the caller's deadline: %w", d, err)
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

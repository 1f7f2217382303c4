// Package retry is the retry policy the first-party adapters (llm/openai,
// llm/ollama, llm/oip) share: a bounded number of retries of retryable
// failures with exponential backoff and jitter, a server's Retry-After
// honoured up to a cap, never a wait past the caller's deadline, and a
// deadline on every attempt.
package retry

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// The defaults, like the official OpenAI and Anthropic SDKs.
const (
	DefaultMaxRetries = 2
	DefaultInitial    = 500 * time.Millisecond
	DefaultMax        = 8 * time.Second
	DefaultMaxWait    = 60 * time.Second
	DefaultTimeout    = 10 * time.Minute
)

// jitter is the fraction of each backoff that is randomised downwards.
const jitter = 0.25

// Policy is an adapter's retry policy. The zero Policy makes one attempt
// with no deadline; Default gives the adapters' defaults.
type Policy struct {
	MaxRetries int           // retries after the first attempt
	Initial    time.Duration // the first backoff
	Max        time.Duration // the cap on a backoff
	MaxWait    time.Duration // the cap on a server's Retry-After
	Timeout    time.Duration // each attempt's deadline; 0: none
	// Random draws the jitter, in [0, 1); nil is math/rand/v2's Float64.
	// Tests set it to make waits exact.
	Random func() float64
}

// Default returns the adapters' default policy.
func Default() Policy {
	return Policy{MaxRetries: DefaultMaxRetries, Initial: DefaultInitial, Max: DefaultMax, MaxWait: DefaultMaxWait, Timeout: DefaultTimeout}
}

// Option setters shared by the adapters' options. Each returns an error
// for a bad value, which the adapter's constructor reports.

// SetMaxRetries sets MaxRetries; n < 0 is an error.
func (p *Policy) SetMaxRetries(n int) error {
	if n < 0 {
		return fmt.Errorf("WithMaxRetries: must be at least 0, got %d", n)
	}
	p.MaxRetries = n
	return nil
}

// SetBackoff sets Initial and Max; they must satisfy 0 < initial <= max.
func (p *Policy) SetBackoff(initial, max time.Duration) error {
	if initial <= 0 || max < initial {
		return fmt.Errorf("WithRetryBackoff: need 0 < initial <= max, got %v and %v", initial, max)
	}
	p.Initial, p.Max = initial, max
	return nil
}

// SetMaxWait sets MaxWait; d must be positive.
func (p *Policy) SetMaxWait(d time.Duration) error {
	if d <= 0 {
		return fmt.Errorf("WithMaxRetryWait: must be positive, got %v", d)
	}
	p.MaxWait = d
	return nil
}

// SetTimeout sets Timeout; 0 turns it off, d < 0 is an error.
func (p *Policy) SetTimeout(d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("WithTimeout: must not be negative, got %v", d)
	}
	p.Timeout = d
	return nil
}

// errAttemptTimeout is the cause set on an attempt's own deadline.
var errAttemptTimeout = errors.New("attempt timed out")

// Attempt returns the context of one attempt: ctx bounded by Timeout.
func (p *Policy) Attempt(ctx context.Context) (context.Context, context.CancelFunc) {
	if p.Timeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeoutCause(ctx, p.Timeout, errAttemptTimeout)
}

// TimedOut reports whether an attempt under actx ended by its own deadline
// while the caller's ctx is still live.
func TimedOut(ctx, actx context.Context) bool {
	return ctx.Err() == nil && errors.Is(context.Cause(actx), errAttemptTimeout)
}

// Next decides what follows the failure err of attempt (0 for the first):
// the wait before the next attempt and true, or false when there is none
// to make, with the error to return (err itself, or err saying that the
// wait would pass the caller's deadline).
func (p *Policy) Next(ctx context.Context, attempt int, err error) (time.Duration, bool, error) {
	if attempt >= p.MaxRetries || ctx.Err() != nil || !chain.IsRetryable(err) {
		return 0, false, err
	}
	backoff := p.Initial
	for i := 0; i < attempt && backoff < p.Max; i++ {
		backoff *= 2
	}
	backoff = min(backoff, p.Max)
	draw := rand.Float64
	if p.Random != nil {
		draw = p.Random
	}
	delay := backoff - time.Duration(draw()*jitter*float64(backoff))
	after, asked := chain.RetryAfter(err)
	asked = asked && after > delay
	if asked {
		delay = min(after, max(p.MaxWait, delay))
	}
	if deadline, ok := ctx.Deadline(); ok && delay > time.Until(deadline) {
		if asked {
			return 0, false, chain.PastDeadline(err, after, true)
		}
		return 0, false, chain.PastDeadline(err, delay, false)
	}
	chain.Emit(ctx, chain.Event{Kind: chain.EventRetry, Attempt: attempt + 1, Delay: delay, Err: err})
	return delay, true, nil
}

// Sleep waits d, or until ctx ends: then it returns the error to give up
// with, ctx's cause, naming err, the failure that led to the wait.
func Sleep(ctx context.Context, d time.Duration, err error) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting to retry: %w (last error: %v)", context.Cause(ctx), err)
	}
}

// Do calls call until it succeeds, fails for good or the retries run out.
// Each attempt runs under Attempt's context; when its own deadline ends
// it, the error is TimeoutError(provider, model, p.Timeout).
func Do[T any](ctx context.Context, p *Policy, provider, model string, call func(ctx context.Context) (T, error)) (T, error) {
	for attempt := 0; ; attempt++ {
		actx, cancel := p.Attempt(ctx)
		out, err := call(actx)
		if err != nil && TimedOut(ctx, actx) {
			err = TimeoutError(provider, model, p.Timeout)
		}
		cancel()
		if err == nil {
			return out, nil
		}
		var zero T
		delay, again, final := p.Next(ctx, attempt, err)
		if !again {
			return zero, final
		}
		if serr := Sleep(ctx, delay, err); serr != nil {
			return zero, serr
		}
	}
}

// TimeoutError is the error of an attempt that its own deadline d ended:
// a retryable *llm.Error matching context.DeadlineExceeded.
func TimeoutError(provider, model string, d time.Duration) *llm.Error {
	return &llm.Error{Provider: provider, Model: model, Temporary: true,
		Message: fmt.Sprintf("no answer within %v (the adapter's timeout)", d), Err: context.DeadlineExceeded}
}

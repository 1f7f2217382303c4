package guard

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/chorus-go/chorus/chain"
)

// attemptFunc makes one attempt of a call under ctx. It returns the tokens
// the model reported using (0 if unknown), whether anything reached the
// caller (a streamed chunk: no retry after that) and the error.
type attemptFunc func(ctx context.Context) (tokens int, delivered bool, err error)

// job is one call through a stack: its estimated tokens and its attempt.
type job struct {
	est int
	fn  attemptFunc
}

// stack is the layers around one model: breaker → retry → rate limit →
// concurrency cap → timeout → the model. Each model of a fallback list has
// a stack of its own.
type stack struct {
	name    string // the model's name, for events and errors
	cfg     *config
	limiter *limiter
	sem     chan struct{}
	breaker *chain.CircuitBreaker[job, struct{}]
}

func newStack(name string, cfg *config) *stack {
	s := &stack{name: name, cfg: cfg}
	if cfg.rpm > 0 || cfg.tpm > 0 {
		s.limiter = newLimiter(cfg.rpm, cfg.tpm, cfg.clock)
	}
	if cfg.concurrent > 0 {
		s.sem = make(chan struct{}, cfg.concurrent)
	}
	if cfg.breaker {
		opts := []chain.BreakerOption{
			chain.Threshold(cfg.threshold), chain.Cooldown(cfg.cooldown),
			chain.TripIf(IsFault), chain.BreakerClock(cfg.clock),
		}
		if cfg.health != nil {
			opts = append(opts, chain.HealthCheck(cfg.health))
		}
		s.breaker = chain.Breaker(chain.Chain[job, struct{}](retrier{s}), opts...)
	}
	return s
}

// do runs j through the stack.
func (s *stack) do(ctx context.Context, j job) error {
	if s.breaker != nil {
		_, err := s.breaker.Run(ctx, j)
		return err
	}
	return s.retry(ctx, j)
}

// check reports whether the stack's breaker would let a call through.
func (s *stack) check(ctx context.Context) error {
	if s.breaker == nil {
		return nil
	}
	return s.breaker.Check(ctx)
}

// retrier is the chain the breaker guards: the retry loop.
type retrier struct{ s *stack }

func (r retrier) Run(ctx context.Context, j job) (struct{}, error) {
	return struct{}{}, r.s.retry(ctx, j)
}

func (r retrier) Describe() chain.Node { return chain.Node{Kind: chain.KindRetry, Name: r.s.name} }

// retry makes the attempts of one call.
func (s *stack) retry(ctx context.Context, j job) error {
	c := s.cfg
	span := c.backoff
	for attempt := 1; ; attempt++ {
		delivered, err := s.attempt(ctx, j)
		if err == nil {
			return nil
		}
		if attempt >= c.attempts || delivered || ctx.Err() != nil || !c.retryIf(err) {
			return giveUp(attempt, err)
		}
		delay := time.Duration(rand.Int64N(int64(span) + 1)) // full jitter
		server, ok := chain.RetryAfter(err)
		if ok && server > delay {
			delay = min(server, c.maxRetryAfter)
		}
		if dl, ok := ctx.Deadline(); ok {
			if left := time.Until(dl); delay >= left {
				return &WaitError{Model: s.name, Attempts: attempt, Wait: delay, ServerWait: server, Left: left, Err: err}
			}
		}
		chain.Emit(ctx, chain.Event{Kind: chain.EventRetry, Name: s.name, Attempt: attempt, Delay: delay, Err: err})
		if delay > 0 {
			select {
			case <-ctx.Done():
				return fmt.Errorf("waiting to retry: %w (last error: %v)", context.Cause(ctx), err)
			case <-c.clock.After(delay):
			}
		}
		span = min(2*span, c.maxBackoff)
	}
}

func giveUp(attempts int, err error) error {
	if attempts == 1 {
		return err
	}
	return &chain.RetryError{Attempts: attempts, Err: err}
}

// attempt makes one attempt: a rate-limit slot, a concurrency slot, the
// timeout, the model.
func (s *stack) attempt(ctx context.Context, j job) (bool, error) {
	if s.limiter != nil {
		if err := s.limiter.wait(ctx, s.name, j.est); err != nil {
			return false, err
		}
	}
	if s.sem != nil {
		select {
		case s.sem <- struct{}{}:
		case <-ctx.Done():
			return false, fmt.Errorf("%s: waiting for a concurrency slot: %w", s.name, context.Cause(ctx))
		}
		defer func() { <-s.sem }()
	}
	actx := ctx
	if d := s.cfg.timeout; d > 0 {
		var cancel context.CancelFunc
		actx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	used, delivered, err := j.fn(actx)
	if s.limiter != nil && used > 0 {
		s.limiter.correct(used - j.est)
	}
	if err != nil && actx != ctx && ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded) {
		err = &chain.TimeoutError{After: s.cfg.timeout}
	}
	return delivered, err
}

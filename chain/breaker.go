package chain

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// BreakerState is the state of a circuit breaker.
type BreakerState int

// The breaker's states: Closed lets calls through and counts failures; Open
// refuses them until the cooldown passes; HalfOpen lets a few probe calls
// through to decide whether to close again.
const (
	Closed BreakerState = iota
	Open
	HalfOpen
)

// String returns "closed", "open" or "half-open".
func (s BreakerState) String() string {
	switch s {
	case Closed:
		return "closed"
	case Open:
		return "open"
	case HalfOpen:
		return "half-open"
	}
	return fmt.Sprintf("BreakerState(%d)", int(s))
}

// BreakerOption configures Breaker.
type BreakerOption func(*breakerConfig)

type breakerConfig struct {
	threshold int
	cooldown  time.Duration
	probes    int
	health    func(context.Context) error
	tripIf    func(error) bool
	clock     Clock
}

// Threshold sets how many failures in a row open the breaker (default 5).
// It panics if n < 1.
func Threshold(n int) BreakerOption {
	if n < 1 {
		panic(configError("Threshold", "threshold must be at least 1, got %d", n))
	}
	return func(c *breakerConfig) { c.threshold = n }
}

// Cooldown sets how long the breaker stays open before it lets probes
// through (default 30s). It panics if d <= 0.
func Cooldown(d time.Duration) BreakerOption {
	if d <= 0 {
		panic(configError("Cooldown", "cooldown must be positive, got %v", d))
	}
	return func(c *breakerConfig) { c.cooldown = d }
}

// Probes sets how many probe calls may run at once while half-open, and how
// many must succeed to close the breaker (default 1). It panics if n < 1.
func Probes(n int) BreakerOption {
	if n < 1 {
		panic(configError("Probes", "probes must be at least 1, got %d", n))
	}
	return func(c *breakerConfig) { c.probes = n }
}

// HealthCheck sets a check that runs when the cooldown has passed, before
// any probe: if it fails the breaker stays open for another cooldown. Use
// a model server's readiness endpoint.
func HealthCheck(check func(ctx context.Context) error) BreakerOption {
	if check == nil {
		panic(configError("HealthCheck", "nil function"))
	}
	return func(c *breakerConfig) { c.health = check }
}

// TripIf replaces the classification of errors that count as failures
// (default: IsFault, the dependency's faults but not the caller's bad
// input).
func TripIf(f func(error) bool) BreakerOption {
	if f == nil {
		panic(configError("TripIf", "nil function"))
	}
	return func(c *breakerConfig) { c.tripIf = f }
}

// BreakerClock sets the clock the breaker reads (default: the real one).
func BreakerClock(clk Clock) BreakerOption {
	if clk == nil {
		panic(configError("BreakerClock", "nil clock"))
	}
	return func(c *breakerConfig) { c.clock = clk }
}

// HTTPStatusError is implemented by errors that carry the HTTP status of
// a failed call, such as a model provider's *llm.Error. IsFault and
// chain/serve read it through errors.As, so it may sit anywhere in an
// error's chain.
type HTTPStatusError interface {
	error
	HTTPStatus() int
}

// InputError is implemented by errors that the caller's input caused: a
// request that cannot be sent as it is (llm.ErrInvalidRequest), which
// neither a retry nor a healthier dependency would change. A Breaker does
// not count them and chain/serve answers them with 400. MarkInvalidInput
// makes one from any error.
type InputError interface {
	error
	InvalidInput() bool
}

// MarkInvalidInput wraps err so that it reports the caller's input as its
// cause (InputError): a Breaker does not count it, and chain/serve answers
// it with 400 and its message. Use it in your own stages for input they
// refuse.
func MarkInvalidInput(err error) error {
	if err == nil {
		return nil
	}
	return &invalidInput{err}
}

type invalidInput struct{ err error }

func (e *invalidInput) Error() string      { return e.err.Error() }
func (e *invalidInput) Unwrap() error      { return e.err }
func (e *invalidInput) InvalidInput() bool { return true }

// IsFault reports whether err is a fault of the dependency rather than of
// the call: what a Breaker counts by default. In order:
//
//   - nil and the caller's cancellation (context.Canceled) are not;
//   - a timeout (ErrTimeout, context.DeadlineExceeded) is;
//   - an InputError that says so (llm.ErrInvalidRequest) is not;
//   - an HTTPStatusError is when its status is 5xx, 408 or 429, and is
//     not for any other 4xx (a bad request, an unknown model, a refused
//     key);
//   - a RetryableError is when it is retryable, and is not when it says a
//     retry would not help (an invalid request, a model's output that
//     does not fit the schema asked for);
//   - any other error, which says nothing of its cause, is.
func IsFault(err error) bool {
	switch {
	case err == nil, errors.Is(err, context.Canceled):
		return false
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, ErrTimeout):
		return true
	}
	var in InputError
	if errors.As(err, &in) && in.InvalidInput() {
		return false
	}
	var st HTTPStatusError
	if errors.As(err, &st) {
		switch s := st.HTTPStatus(); {
		case s >= 500, s == 408, s == 429:
			return true
		case s >= 400:
			return false
		}
	}
	var r RetryableError
	if errors.As(err, &r) {
		return r.Retryable()
	}
	return true
}

// CircuitBreaker is a chain guarded by a circuit breaker; see Breaker.
// Handles renamed with Named share one breaker: tripping it through one
// opens it for all.
type CircuitBreaker[I, O any] struct {
	meta
	*breakerCore[I, O]
}

// breakerCore is the state every handle of one breaker shares.
type breakerCore[I, O any] struct {
	c   Chain[I, O]
	cfg breakerConfig

	mu        sync.Mutex
	state     BreakerState
	gen       uint64 // bumped on every transition, to ignore stale probes
	failures  int
	successes int
	inflight  int
	checking  bool
	openedAt  time.Time
	lastErr   error
}

// Breaker guards c with a circuit breaker. After Threshold failures in a
// row (by default the dependency's faults, IsFault, not the caller's bad
// input: see TripIf) it opens and refuses calls with an *OpenError (ErrOpen) for the
// Cooldown, so a failing model is not hammered and callers fail fast (a
// Fallback around it then degrades at once). When the cooldown has passed
// it runs the HealthCheck, if any, then half-opens and lets Probes calls
// through: if they succeed it closes, if one fails it opens again.
func Breaker[I, O any](c Chain[I, O], opts ...BreakerOption) *CircuitBreaker[I, O] {
	if isNil(c) {
		panic(configError("Breaker", "nil chain"))
	}
	cfg := breakerConfig{threshold: 5, cooldown: 30 * time.Second, probes: 1, clock: realClock{}, tripIf: IsFault}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	return &CircuitBreaker[I, O]{meta: newMeta(KindBreaker), breakerCore: &breakerCore[I, O]{c: c, cfg: cfg}}
}

// State returns the breaker's current state. An open breaker whose cooldown
// has passed reports Open until a call or Check moves it on.
func (b *CircuitBreaker[I, O]) State() BreakerState {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.state
}

// Check returns nil when the breaker would let a call through now, else an
// *OpenError, wrapped in a *StageError naming the breaker when it has a
// name, as Run returns it. Readiness endpoints use it; it changes no state.
func (b *CircuitBreaker[I, O]) Check(ctx context.Context) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state == Open && b.cfg.clock.Now().Before(b.openedAt.Add(b.cfg.cooldown)) {
		if b.info.Name != "" {
			return b.stageError(b.openError())
		}
		return b.openError()
	}
	return nil
}

// Run calls the guarded chain if the breaker lets it.
func (b *CircuitBreaker[I, O]) Run(ctx context.Context, in I) (O, error) {
	return observe(ctx, &b.meta, in, b.run)
}

func (b *CircuitBreaker[I, O]) run(ctx context.Context, in I) (O, error) {
	probe, gen, err := b.admit(ctx)
	if err != nil {
		var zero O
		return zero, err
	}
	out, err := SafeRun(ctx, b.c, in)
	b.record(ctx, probe, gen, err)
	return out, err
}

type transition struct {
	from, to BreakerState
	err      error
}

func (b *CircuitBreaker[I, O]) setState(to BreakerState, err error) transition {
	t := transition{from: b.state, to: to, err: err}
	b.state = to
	b.gen++
	switch to {
	case Open:
		b.openedAt = b.cfg.clock.Now()
		b.lastErr = err
	case HalfOpen:
		b.successes, b.inflight = 0, 0
	case Closed:
		b.failures = 0
	}
	return t
}

func (b *CircuitBreaker[I, O]) emit(ctx context.Context, ts ...transition) {
	for _, t := range ts {
		Emit(ctx, Event{Kind: EventBreaker, Name: b.info.Name, From: t.from, To: t.to, Err: t.err})
	}
}

func (b *CircuitBreaker[I, O]) openError() *OpenError {
	return &OpenError{Node: b.info.Name, Until: b.openedAt.Add(b.cfg.cooldown), Cause: b.lastErr}
}

// admit decides whether a call may go through, moving an open breaker on
// when its cooldown has passed.
func (b *CircuitBreaker[I, O]) admit(ctx context.Context) (probe bool, gen uint64, err error) {
	b.mu.Lock()
	var ts []transition
	defer func() {
		b.mu.Unlock()
		b.emit(ctx, ts...)
	}()
	if b.state == Closed {
		return false, b.gen, nil
	}
	if b.state == Open {
		if b.cfg.clock.Now().Before(b.openedAt.Add(b.cfg.cooldown)) || b.checking {
			return false, 0, b.openError()
		}
		if b.cfg.health != nil {
			b.checking = true
			b.mu.Unlock()
			herr := b.healthCheck(ctx)
			b.mu.Lock()
			b.checking = false
			if b.state != Open { // another call moved it on meanwhile
				return b.admitHalfOpen()
			}
			if herr != nil {
				if ctx.Err() != nil {
					return false, 0, ctx.Err()
				}
				b.openedAt = b.cfg.clock.Now()
				b.lastErr = fmt.Errorf("health check: %w", herr)
				return false, 0, b.openError()
			}
		}
		ts = append(ts, b.setState(HalfOpen, nil))
	}
	return b.admitHalfOpen()
}

func (b *CircuitBreaker[I, O]) admitHalfOpen() (bool, uint64, error) {
	switch b.state {
	case Closed:
		return false, b.gen, nil
	case HalfOpen:
		if b.inflight < b.cfg.probes {
			b.inflight++
			return true, b.gen, nil
		}
	}
	return false, 0, b.openError()
}

func (b *CircuitBreaker[I, O]) healthCheck(ctx context.Context) (err error) {
	defer Recover(&err)
	return b.cfg.health(ctx)
}

// record updates the breaker with a call's outcome.
func (b *CircuitBreaker[I, O]) record(ctx context.Context, probe bool, gen uint64, err error) {
	failed := err != nil && b.cfg.tripIf(err)
	b.mu.Lock()
	var ts []transition
	defer func() {
		b.mu.Unlock()
		b.emit(ctx, ts...)
	}()
	if gen != b.gen {
		return // the breaker changed state while the call ran
	}
	switch b.state {
	case Closed:
		switch {
		case failed:
			b.failures++
			b.lastErr = err
			if b.failures >= b.cfg.threshold {
				ts = append(ts, b.setState(Open, err))
			}
		case err == nil:
			b.failures = 0
		}
	case HalfOpen:
		if !probe {
			return
		}
		b.inflight--
		switch {
		case failed:
			ts = append(ts, b.setState(Open, err))
		case err == nil:
			b.successes++
			if b.successes >= b.cfg.probes {
				ts = append(ts, b.setState(Closed, nil))
			}
		}
	}
}

// Describe reports the breaker and the chain it guards.
func (b *CircuitBreaker[I, O]) Describe() Node {
	return Node{Kind: KindBreaker, Name: b.nodeName(), Detail: fmt.Sprintf("%d failures, %v cooldown", b.cfg.threshold, b.cfg.cooldown), Children: []Node{Describe(b.c)}, Chain: b}
}

// rename returns a handle with another name on the same breaker state.
func (b *CircuitBreaker[I, O]) rename(name string) any {
	return &CircuitBreaker[I, O]{meta: b.meta.renamed(name), breakerCore: b.breakerCore}
}

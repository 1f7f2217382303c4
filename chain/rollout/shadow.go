package rollout

import (
	"cmp"
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/eval"
)

// ShadowResult is what a Shadow records for one call: the input and both
// models' outcomes, in the form chain/eval scores (eval.ScoreLabels,
// eval.ScoreNumbers).
type ShadowResult[In, Out any] struct {
	Input      In
	Champion   eval.Outcome[Out]
	Challenger eval.Outcome[Out]
}

// ShadowOption configures NewShadow. An invalid value is not applied:
// NewShadow reports it as an error matching chain.ErrConfig.
type ShadowOption func(*shadowConfig)

type shadowConfig struct {
	limit   int
	timeout time.Duration
	err     error // the first invalid option
}

// ShadowLimit caps how many challenger calls run in the background at
// once (default 4). When every slot is busy a call is served by the
// champion alone and counted as dropped. n must be at least 1.
func ShadowLimit(n int) ShadowOption {
	return func(c *shadowConfig) {
		if n < 1 {
			c.err = cmp.Or(c.err, configError("ShadowLimit", "limit must be at least 1, got %d", n))
			return
		}
		c.limit = n
	}
}

// ShadowTimeout bounds each challenger call (default 30s). d must be
// positive.
func ShadowTimeout(d time.Duration) ShadowOption {
	return func(c *shadowConfig) {
		if d <= 0 {
			c.err = cmp.Or(c.err, configError("ShadowTimeout", "timeout must be positive, got %v", d))
			return
		}
		c.timeout = d
	}
}

// Shadow serves a champion while a challenger runs on the same inputs in
// the background; see NewShadow.
type Shadow[In, Out any] struct {
	champion, challenger chain.Chain[In, Out]
	record               func(ShadowResult[In, Out])
	cfg                  shadowConfig
	slots                chan struct{}

	mu       sync.Mutex
	idle     *sync.Cond // signalled when inflight drops to 0
	inflight int
	closed   bool

	started, dropped, recorded atomic.Uint64
}

// NewShadow returns a chain that answers with the champion while the
// challenger runs on the same input in the background, so a new model
// meets live traffic before it serves any. The challenger's answer is
// never returned to the caller and never slows it: the caller waits for
// the champion only. When both have finished, record receives the input
// and both outcomes (on the background goroutine; a panic in record is
// recovered and lost).
//
// The challenger starts at the same time as the champion, under a context
// that keeps the caller's values (hooks see it) but not its cancellation
// or deadline (context.WithoutCancel), with its own ShadowTimeout. At most
// ShadowLimit challengers run at once; a call that finds every slot busy
// is counted as Dropped and served by the champion alone. Close stops
// starting challengers and waits for the running ones; Wait only waits.
// The result describes itself as a parallel node with the challenger's
// edge labelled "shadow".
//
// NewShadow fails, with an error matching chain.ErrConfig, on a nil
// chain, a nil record function or an invalid option.
func NewShadow[In, Out any](champion, challenger chain.Chain[In, Out], record func(ShadowResult[In, Out]), opts ...ShadowOption) (*Shadow[In, Out], error) {
	if champion == nil || challenger == nil {
		return nil, configError("NewShadow", "nil chain")
	}
	if record == nil {
		return nil, configError("NewShadow", "nil record function")
	}
	cfg := shadowConfig{limit: 4, timeout: 30 * time.Second}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.err != nil {
		return nil, cfg.err
	}
	s := &Shadow[In, Out]{champion: champion, challenger: challenger, record: record, cfg: cfg, slots: make(chan struct{}, cfg.limit)}
	s.idle = sync.NewCond(&s.mu)
	return s, nil
}

// MustShadow is NewShadow that panics with its error instead of returning
// it (chain.Build turns the panic back into the error).
func MustShadow[In, Out any](champion, challenger chain.Chain[In, Out], record func(ShadowResult[In, Out]), opts ...ShadowOption) *Shadow[In, Out] {
	s, err := NewShadow(champion, challenger, record, opts...)
	if err != nil {
		panic(err)
	}
	return s
}

// shadowCall carries the champion's outcome to the background goroutine.
type shadowCall[Out any] struct {
	done     chan struct{}
	champion eval.Outcome[Out]
}

// Run answers with the champion, starting the challenger in the
// background when a slot is free.
func (s *Shadow[In, Out]) Run(ctx context.Context, in In) (Out, error) {
	var call *shadowCall[Out]
	if s.admit() {
		call = &shadowCall[Out]{done: make(chan struct{})}
		go s.shadow(ctx, in, call)
	}
	start := time.Now()
	out, err := chain.SafeRun(ctx, s.champion, in)
	if call != nil {
		call.champion = eval.Outcome[Out]{Output: out, Err: err, Latency: time.Since(start)}
		close(call.done)
	}
	return out, err
}

// admit takes a background slot if one is free and the shadow is open.
func (s *Shadow[In, Out]) admit() bool {
	select {
	case s.slots <- struct{}{}:
	default:
		s.dropped.Add(1)
		return false
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		<-s.slots
		s.dropped.Add(1)
		return false
	}
	s.inflight++
	s.mu.Unlock()
	s.started.Add(1)
	return true
}

func (s *Shadow[In, Out]) shadow(ctx context.Context, in In, call *shadowCall[Out]) {
	defer s.release()
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.timeout)
	start := time.Now()
	out, err := chain.SafeRun(cctx, s.challenger, in)
	challenger := eval.Outcome[Out]{Output: out, Err: err, Latency: time.Since(start)}
	cancel()
	<-call.done // the champion always finishes: the caller runs it
	func() {
		defer func() { _ = recover() }()
		s.record(ShadowResult[In, Out]{Input: in, Champion: call.champion, Challenger: challenger})
		s.recorded.Add(1)
	}()
}

func (s *Shadow[In, Out]) release() {
	<-s.slots
	s.mu.Lock()
	s.inflight--
	if s.inflight == 0 {
		s.idle.Broadcast()
	}
	s.mu.Unlock()
}

// Wait blocks until no challenger is running in the background. Calls
// that start meanwhile may start more.
func (s *Shadow[In, Out]) Wait() {
	s.mu.Lock()
	for s.inflight > 0 {
		s.idle.Wait()
	}
	s.mu.Unlock()
}

// Close stops starting challengers (the champion keeps serving) and
// waits for the running ones to finish and be recorded. It is safe to
// call more than once.
func (s *Shadow[In, Out]) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.Wait()
}

// Started returns how many challenger calls have started in the
// background.
func (s *Shadow[In, Out]) Started() uint64 { return s.started.Load() }

// Dropped returns how many calls were served by the champion alone,
// without a challenger, because every slot was busy or the Shadow was
// closed. Started plus Dropped is the number of calls.
func (s *Shadow[In, Out]) Dropped() uint64 { return s.dropped.Load() }

// Recorded returns how many results have been handed to the record
// function.
func (s *Shadow[In, Out]) Recorded() uint64 { return s.recorded.Load() }

// Describe reports the shadow as a parallel node of the champion and the
// challenger.
func (s *Shadow[In, Out]) Describe() chain.Node {
	return chain.Node{
		Kind:     chain.KindParallel,
		Name:     "shadow",
		Detail:   "champion answers",
		Children: []chain.Node{chain.Describe(s.champion), chain.Describe(s.challenger)},
		Labels:   []string{"champion", "shadow"},
		Chain:    s,
	}
}

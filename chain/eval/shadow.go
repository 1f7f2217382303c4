package eval

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chorus-go/chorus/chain"
)

// ShadowResult is what a Shadow records for one call: the input and both
// models' outcomes.
type ShadowResult[In, Out any] struct {
	Input      In
	Champion   Outcome[Out]
	Challenger Outcome[Out]
}

// ShadowStats counts a Shadow's background runs: Started challengers,
// Dropped calls for which none was started (every slot busy, or the
// Shadow closed), and Recorded results handed to the record function.
type ShadowStats struct {
	Started  uint64 `json:"started"`
	Dropped  uint64 `json:"dropped"`
	Recorded uint64 `json:"recorded"`
}

// ShadowOption configures Shadow.
type ShadowOption func(*shadowConfig)

type shadowConfig struct {
	limit   int
	timeout time.Duration
}

// ShadowLimit caps how many challenger calls run in the background at
// once (default 4). When every slot is busy a call is served by the
// champion alone and counted as dropped. It panics if n < 1.
func ShadowLimit(n int) ShadowOption {
	if n < 1 {
		panic(configError("ShadowLimit", "limit must be at least 1, got %d", n))
	}
	return func(c *shadowConfig) { c.limit = n }
}

// ShadowTimeout bounds each challenger call (default 30s). It panics if
// d <= 0.
func ShadowTimeout(d time.Duration) ShadowOption {
	if d <= 0 {
		panic(configError("ShadowTimeout", "timeout must be positive, got %v", d))
	}
	return func(c *shadowConfig) { c.timeout = d }
}

// ShadowChain serves a champion while a challenger runs on the same
// inputs in the background; see Shadow.
type ShadowChain[In, Out any] struct {
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

// Shadow returns a chain that answers with the champion while the
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
// is counted in Stats().Dropped and served by the champion alone. Close
// stops starting challengers and waits for the running ones; Wait only
// waits. The result describes itself as a parallel node with the
// challenger's edge labelled "shadow".
func Shadow[In, Out any](champion, challenger chain.Chain[In, Out], record func(ShadowResult[In, Out]), opts ...ShadowOption) *ShadowChain[In, Out] {
	if champion == nil || challenger == nil {
		panic(configError("Shadow", "nil chain"))
	}
	if record == nil {
		panic(configError("Shadow", "nil record function"))
	}
	cfg := shadowConfig{limit: 4, timeout: 30 * time.Second}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	s := &ShadowChain[In, Out]{champion: champion, challenger: challenger, record: record, cfg: cfg, slots: make(chan struct{}, cfg.limit)}
	s.idle = sync.NewCond(&s.mu)
	return s
}

// shadowCall carries the champion's outcome to the background goroutine.
type shadowCall[Out any] struct {
	done     chan struct{}
	champion Outcome[Out]
}

// Run answers with the champion, starting the challenger in the
// background when a slot is free.
func (s *ShadowChain[In, Out]) Run(ctx context.Context, in In) (Out, error) {
	var call *shadowCall[Out]
	if s.admit() {
		call = &shadowCall[Out]{done: make(chan struct{})}
		go s.shadow(ctx, in, call)
	}
	start := time.Now()
	out, err := runSafe(ctx, s.champion, in)
	if call != nil {
		call.champion = Outcome[Out]{Output: out, Err: err, Latency: time.Since(start)}
		close(call.done)
	}
	return out, err
}

// admit takes a background slot if one is free and the shadow is open.
func (s *ShadowChain[In, Out]) admit() bool {
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

func (s *ShadowChain[In, Out]) shadow(ctx context.Context, in In, call *shadowCall[Out]) {
	defer s.release()
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.timeout)
	start := time.Now()
	out, err := runSafe(cctx, s.challenger, in)
	challenger := Outcome[Out]{Output: out, Err: err, Latency: time.Since(start)}
	cancel()
	<-call.done // the champion always finishes: the caller runs it
	func() {
		defer func() { _ = recover() }()
		s.record(ShadowResult[In, Out]{Input: in, Champion: call.champion, Challenger: challenger})
		s.recorded.Add(1)
	}()
}

func (s *ShadowChain[In, Out]) release() {
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
func (s *ShadowChain[In, Out]) Wait() {
	s.mu.Lock()
	for s.inflight > 0 {
		s.idle.Wait()
	}
	s.mu.Unlock()
}

// Close stops starting challengers (the champion keeps serving) and
// waits for the running ones to finish and be recorded. It is safe to
// call more than once.
func (s *ShadowChain[In, Out]) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.Wait()
}

// Stats returns the counts of background runs so far.
func (s *ShadowChain[In, Out]) Stats() ShadowStats {
	return ShadowStats{Started: s.started.Load(), Dropped: s.dropped.Load(), Recorded: s.recorded.Load()}
}

// Describe reports the shadow as a parallel node of the champion and the
// challenger.
func (s *ShadowChain[In, Out]) Describe() chain.Node {
	return chain.Node{
		Kind:     chain.KindParallel,
		Name:     "shadow",
		Detail:   "champion answers",
		Children: []chain.Node{chain.Describe(s.champion), chain.Describe(s.challenger)},
		Labels:   []string{"champion", "shadow"},
		Chain:    s,
	}
}

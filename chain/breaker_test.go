package chain_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
)

// switchable fails while down is set.
type switchable struct {
	down  atomic.Bool
	calls atomic.Int32
}

var errDown = errors.New("model down")

func (s *switchable) Run(ctx context.Context, x int) (int, error) {
	s.calls.Add(1)
	if s.down.Load() {
		return 0, errDown
	}
	return x, nil
}

func TestBreakerTransitions(t *testing.T) {
	clk := newFakeClock(false)
	m := &switchable{}
	var events []chain.Event
	var mu sync.Mutex
	ctx := chain.WithHooks(context.Background(), chain.HookFuncs{OnEvent: func(_ context.Context, _ chain.NodeInfo, e chain.Event) {
		mu.Lock()
		events = append(events, e)
		mu.Unlock()
	}})
	b := chain.Breaker[int, int](m, chain.Threshold(3), chain.Cooldown(time.Minute), chain.BreakerClock(clk))
	run := func() error { _, err := b.Run(ctx, 1); return err }

	m.down.Store(true)
	for i := 0; i < 2; i++ {
		if err := run(); !errors.Is(err, errDown) {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if b.State() != chain.Closed {
		t.Fatalf("state %v after 2 failures", b.State())
	}
	if m.down.Store(false); run() != nil { // a success resets the count
		t.Fatal("success failed")
	}
	m.down.Store(true)
	for i := 0; i < 3; i++ {
		_ = run()
	}
	if b.State() != chain.Open {
		t.Fatalf("state %v after 3 failures", b.State())
	}
	calls := m.calls.Load()
	err := run()
	var oe *chain.OpenError
	if !errors.As(err, &oe) || !errors.Is(err, chain.ErrOpen) || !errors.Is(err, errDown) || !oe.Until.Equal(clk.Now().Add(time.Minute)) {
		t.Fatalf("open err = %v", err)
	}
	if m.calls.Load() != calls {
		t.Fatal("open breaker called the model")
	}
	if b.Check(context.Background()) == nil {
		t.Fatal("Check = nil while open")
	}

	clk.Advance(time.Minute) // half-open: one probe, which fails: open again
	if err := run(); !errors.Is(err, errDown) || b.State() != chain.Open {
		t.Fatalf("failed probe: %v, state %v", err, b.State())
	}
	if err := run(); !errors.Is(err, chain.ErrOpen) {
		t.Fatalf("after failed probe: %v", err)
	}
	clk.Advance(time.Minute) // probe succeeds: closed
	m.down.Store(false)
	if err := run(); err != nil || b.State() != chain.Closed {
		t.Fatalf("probe: %v, state %v", err, b.State())
	}
	mu.Lock()
	defer mu.Unlock()
	var got []string
	for _, e := range events {
		if e.Kind == chain.EventBreaker {
			got = append(got, e.From.String()+">"+e.To.String())
		}
	}
	want := []string{"closed>open", "open>half-open", "half-open>open", "open>half-open", "half-open>closed"}
	if len(got) != len(want) {
		t.Fatalf("transitions %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("transitions %v, want %v", got, want)
		}
	}
}

func TestBreakerHalfOpenProbes(t *testing.T) {
	clk := newFakeClock(false)
	release := make(chan struct{})
	var fail atomic.Bool
	fail.Store(true)
	started := make(chan struct{}, 10)
	c := chain.Fn(func(ctx context.Context, x int) (int, error) {
		if fail.Load() {
			return 0, errDown
		}
		started <- struct{}{}
		<-release
		return x, nil
	})
	b := chain.Breaker(c, chain.Threshold(1), chain.Cooldown(time.Second), chain.Probes(2), chain.BreakerClock(clk))
	_, _ = b.Run(context.Background(), 1)
	fail.Store(false)
	clk.Advance(time.Second)
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for range 2 {
		wg.Add(1)
		go func() { defer wg.Done(); _, err := b.Run(context.Background(), 1); errs <- err }()
	}
	<-started
	<-started
	// Both probe slots are taken: a third call is refused.
	if _, err := b.Run(context.Background(), 1); !errors.Is(err, chain.ErrOpen) {
		t.Fatalf("third call: %v", err)
	}
	if b.State() != chain.HalfOpen {
		t.Fatalf("state %v", b.State())
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if b.State() != chain.Closed {
		t.Fatalf("state %v after 2 good probes", b.State())
	}
}

func TestBreakerHealthCheck(t *testing.T) {
	clk := newFakeClock(false)
	m := &switchable{}
	m.down.Store(true)
	var healthy atomic.Bool
	var checks atomic.Int32
	b := chain.Breaker[int, int](m, chain.Threshold(1), chain.Cooldown(time.Second), chain.BreakerClock(clk),
		chain.HealthCheck(func(ctx context.Context) error {
			checks.Add(1)
			if healthy.Load() {
				return nil
			}
			return errors.New("not ready")
		}))
	_, _ = b.Run(context.Background(), 1)
	clk.Advance(time.Second)
	calls := m.calls.Load()
	if _, err := b.Run(context.Background(), 1); !errors.Is(err, chain.ErrOpen) || m.calls.Load() != calls {
		t.Fatalf("unhealthy: err %v, model called %v", err, m.calls.Load() != calls)
	}
	if b.State() != chain.Open || checks.Load() != 1 {
		t.Fatalf("state %v checks %d", b.State(), checks.Load())
	}
	clk.Advance(time.Second)
	healthy.Store(true)
	m.down.Store(false)
	if _, err := b.Run(context.Background(), 1); err != nil || b.State() != chain.Closed {
		t.Fatalf("healthy: %v, state %v", err, b.State())
	}
}

func TestBreakerIgnoresCallerCancel(t *testing.T) {
	started := make(chan struct{}, 5)
	b := chain.Breaker(block[int](started), chain.Threshold(1))
	cancelAfterStart(t, func(ctx context.Context) (int, error) { return b.Run(ctx, 1) }, started, 1)
	if b.State() != chain.Closed {
		t.Fatalf("caller cancellation opened the breaker: %v", b.State())
	}
}

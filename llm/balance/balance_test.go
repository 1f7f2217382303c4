package balance_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/chaintest"
	"github.com/chorus-go/chorus/internal/ollamatest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/balance"
)

// A slow replica has more requests in flight, so least in-flight sends it
// fewer of them.
func TestDistributionFollowsInFlight(t *testing.T) {
	slow := newReplica(t, func(r ollamatest.Request) ollamatest.Reply {
		return ollamatest.Text("slow").WithDelay(150 * time.Millisecond) // far slower than the others even on a loaded machine
	})
	fast1, fast2 := newReplica(t, nil), newReplica(t, nil)
	for _, opt := range []balance.Option{balance.WithLeastInFlight(), balance.WithLatencyWeighted()} {
		b := balance.MustNew(models(slow, fast1, fast2), opt, balance.WithSeed(1))
		before := []int{slow.calls(), fast1.calls(), fast2.calls()}
		var wg sync.WaitGroup
		for w := range 6 {
			wg.Go(func() {
				for j := range 10 {
					if _, err := b.Chat(context.Background(), ask(fmt.Sprint(w, j))); err != nil {
						t.Error(err)
					}
				}
			})
		}
		wg.Wait()
		s, f1, f2 := slow.calls()-before[0], fast1.calls()-before[1], fast2.calls()-before[2]
		if s+f1+f2 != 60 {
			t.Fatalf("%s: %d+%d+%d requests, want 60", b.Describe().Detail, s, f1, f2)
		}
		if s >= f1 || s >= f2 || s >= 20 { // 20 each by round robin
			t.Errorf("%s: slow replica got %d requests, fast ones %d and %d", b.Describe().Detail, s, f1, f2)
		}
	}
}

// A replica answering 503 cools down after three failures in a row; every
// call fails over to the healthy one; after the cooldown and a passing
// health check it takes traffic again.
func TestFailingReplicaCoolsDownAndReturns(t *testing.T) {
	var down atomic.Bool
	down.Store(true)
	flaky := newReplica(t, func(r ollamatest.Request) ollamatest.Reply {
		if down.Load() {
			return ollamatest.Error(503, "overloaded")
		}
		return ollamatest.Text("flaky")
	})
	good := newReplica(t, nil)
	clock := chaintest.NewClock(start)
	var healthy atomic.Bool
	var ev events
	b := balance.MustNew(models(flaky, good), balance.WithRoundRobin(), balance.WithClock(clock), balance.WithCooldown(time.Minute),
		balance.WithHealthCheck(func(ctx context.Context, i int) error {
			if i == 0 && !healthy.Load() {
				return errors.New("still down")
			}
			return nil
		}))
	ctx := ev.ctx()
	for i := range 20 {
		if _, err := b.Chat(ctx, ask(fmt.Sprint(i))); err != nil {
			t.Fatalf("call %d lost: %v", i, err)
		}
	}
	if n := flaky.calls(); n != 3 {
		t.Errorf("failing replica got %d requests, want 3 before cooldown", n)
	}
	if n := ev.count(balance.EventFailover); n != 3 {
		t.Errorf("%d failovers, want 3", n)
	}
	e, ok := ev.first(balance.EventCooldown)
	if !ok || e.Index != 0 || e.Delay != time.Minute || e.Name != "ollama:llama3.2#0" || !errors.Is(e.Err, llm.ErrServer) {
		t.Errorf("cooldown event %+v (%v)", e, ok)
	}
	if st := b.Stats()[0]; !st.Cooling || !st.Until.Equal(start.Add(time.Minute)) {
		t.Errorf("stats %+v", st)
	}

	// Cooldown over, health check failing: still no traffic.
	clock.Advance(time.Minute)
	down.Store(false)
	for i := range 4 {
		if _, err := b.Chat(ctx, ask(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	if n := flaky.calls(); n != 3 {
		t.Errorf("replica failing its health check got traffic: %d requests", n)
	}
	// Check passing after the next cooldown: back in rotation.
	clock.Advance(time.Minute)
	healthy.Store(true)
	for i := range 4 {
		if _, err := b.Chat(ctx, ask(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	if n := flaky.calls(); n != 5 {
		t.Errorf("recovered replica got %d requests in total, want 5", n)
	}
	if ev.count(balance.EventRecover) != 1 || b.Stats()[0].Cooling {
		t.Errorf("no recovery: %+v", b.Stats()[0])
	}
}

// Without a HealthCheck option the replica's own Ping (POST /api/show)
// is its health check.
func TestPingIsTheHealthCheck(t *testing.T) {
	var down atomic.Bool
	down.Store(true)
	flaky := newReplica(t, func(r ollamatest.Request) ollamatest.Reply {
		if down.Load() {
			return ollamatest.Error(500, "boom")
		}
		return ollamatest.Text("ok")
	})
	good := newReplica(t, nil)
	clock := chaintest.NewClock(start)
	b := balance.MustNew(models(flaky, good), balance.WithRoundRobin(), balance.WithClock(clock), balance.WithFailureThreshold(1))
	if _, err := b.Chat(context.Background(), ask("x")); err != nil {
		t.Fatal(err)
	}
	down.Store(false)
	clock.Advance(balance.DefaultCooldown)
	for range 2 {
		if _, err := b.Chat(context.Background(), ask("y")); err != nil {
			t.Fatal(err)
		}
	}
	if b.Stats()[0].Cooling || flaky.calls() != 2 || flaky.count("/api/show") != 1 {
		t.Errorf("replica not back after Ping: %+v, %d calls, %d pings", b.Stats()[0], flaky.calls(), flaky.count("/api/show"))
	}
}

// A 429 with Retry-After cools the replica down at once, for that long,
// capped by MaxCooldown.
func TestRetryAfterCooldown(t *testing.T) {
	for _, tc := range []struct {
		cap  time.Duration
		want time.Duration
	}{{time.Hour, 7 * time.Second}, {5 * time.Second, 5 * time.Second}} {
		limited := newReplica(t, func(r ollamatest.Request) ollamatest.Reply {
			return ollamatest.Error(429, "slow down").WithHeader("Retry-After", "7")
		})
		good := newReplica(t, nil)
		var ev events
		clock := chaintest.NewClock(start)
		b := balance.MustNew(models(limited, good), balance.WithRoundRobin(), balance.WithClock(clock), balance.WithMaxCooldown(tc.cap))
		if _, err := b.Chat(ev.ctx(), ask("x")); err != nil {
			t.Fatal(err)
		}
		e, ok := ev.first(balance.EventCooldown)
		if !ok || e.Delay != tc.want || !errors.Is(e.Err, llm.ErrRateLimited) {
			t.Errorf("cap %v: cooldown event %+v, want delay %v", tc.cap, e, tc.want)
		}
		if st := b.Stats()[0]; !st.Until.Equal(start.Add(tc.want)) {
			t.Errorf("cap %v: until %v", tc.cap, st.Until)
		}
	}
}

// The caller's bad request is not the replica's fault: no cooldown, no
// failover.
func TestBadRequestDoesNotCoolDown(t *testing.T) {
	bad := newReplica(t, func(r ollamatest.Request) ollamatest.Reply {
		return ollamatest.Error(400, "invalid options")
	})
	good := newReplica(t, nil)
	var ev events
	b := balance.MustNew(models(bad, good), balance.WithRoundRobin())
	failed := 0
	for range 10 {
		_, err := b.Chat(ev.ctx(), ask("x"))
		if err != nil {
			failed++
			var re *balance.ReplicaError
			if !errors.Is(err, llm.ErrBadRequest) || !errors.As(err, &re) || re.Index != 0 {
				t.Errorf("error %v", err)
			}
		}
	}
	if failed != 5 || bad.calls() != 5 || ev.count(balance.EventFailover) != 0 || ev.count(balance.EventCooldown) != 0 {
		t.Errorf("%d failed, %d calls to the replica, events %+v", failed, bad.calls(), ev.all)
	}
	if st := b.Stats()[0]; st.Cooling || st.Failures != 0 {
		t.Errorf("stats %+v", st)
	}
}

// When every replica is cooling down a call fails at once with
// ErrNoReplica, carrying when the first one returns.
func TestAllDownFailsFast(t *testing.T) {
	down := func(r ollamatest.Request) ollamatest.Reply { return ollamatest.Error(503, "down") }
	a, c := newReplica(t, down), newReplica(t, down)
	clock := chaintest.NewClock(start)
	b := balance.MustNew(models(a, c), balance.WithClock(clock), balance.WithFailureThreshold(1), balance.WithSeed(3))
	_, err := b.Chat(context.Background(), ask("x"))
	if !errors.Is(err, llm.ErrServer) || !chain.IsRetryable(err) {
		t.Fatalf("first call: %v", err)
	}
	clock.Advance(time.Second)
	_, err = b.Chat(context.Background(), ask("y"))
	var nr *balance.NoReplicaError
	if !errors.Is(err, balance.ErrNoReplica) || !errors.As(err, &nr) {
		t.Fatalf("got %v, want ErrNoReplica", err)
	}
	if !nr.Until.Equal(start.Add(balance.DefaultCooldown)) || nr.Replicas != 2 || !errors.Is(err, llm.ErrServer) {
		t.Errorf("%+v", nr)
	}
	if d, ok := chain.RetryAfter(err); !ok || d != balance.DefaultCooldown-time.Second {
		t.Errorf("RetryAfter %v %v", d, ok)
	}
	if a.calls()+c.calls() != 2 {
		t.Errorf("%d requests reached the servers, want 2", a.calls()+c.calls())
	}
}

// WaitForReplica waits for the cooldown to pass instead.
func TestWaitForReplica(t *testing.T) {
	var n atomic.Int32
	r := newReplica(t, func(ollamatest.Request) ollamatest.Reply {
		if n.Add(1) == 1 {
			return ollamatest.Error(503, "down")
		}
		return ollamatest.Text("up")
	})
	clock := chaintest.NewAutoClock(start)
	b := balance.MustNew(models(r), balance.WithClock(clock), balance.WithFailureThreshold(1), balance.WithWaitForReplica(),
		balance.WithHealthCheck(func(context.Context, int) error { return nil }))
	if _, err := b.Chat(context.Background(), ask("x")); err == nil {
		t.Fatal("first call succeeded")
	}
	resp, err := b.Chat(context.Background(), ask("y"))
	if err != nil || resp.Text() != "up" {
		t.Fatalf("%q %v", resp.Text(), err)
	}
	if w := clock.Waits(); len(w) != 1 || w[0] != balance.DefaultCooldown {
		t.Errorf("waits %v", w)
	}
}

// Each server sees no more than MaxInFlight requests at once, and a call
// that finds every replica saturated waits for a slot.
func TestMaxInFlightHeld(t *testing.T) {
	var g1, g2 gauge
	hold := func(g *gauge) func(ollamatest.Request) ollamatest.Reply {
		return func(ollamatest.Request) ollamatest.Reply {
			g.hold(3 * time.Millisecond)
			return ollamatest.Text("ok")
		}
	}
	r1, r2 := newReplica(t, hold(&g1)), newReplica(t, hold(&g2))
	b := balance.MustNew(models(r1, r2), balance.WithMaxInFlight(2))
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			for range 2 {
				if _, err := b.Chat(context.Background(), ask("x")); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if g1.max.Load() > 2 || g2.max.Load() > 2 || r1.calls()+r2.calls() != 40 {
		t.Errorf("max in flight %d and %d, %d requests", g1.max.Load(), g2.max.Load(), r1.calls()+r2.calls())
	}
}

// A call waiting for a slot returns when its context ends, leaving no
// goroutine behind (goleak in TestMain).
func TestCancelWhileWaitingForSlot(t *testing.T) {
	r := newReplica(t, func(ollamatest.Request) ollamatest.Reply { return ollamatest.Text("late").WithDelay(10 * time.Second) })
	b := balance.MustNew(models(r), balance.WithMaxInFlight(1))
	ctx1, cancel1 := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := b.Chat(ctx1, ask("first"))
		done <- err
	}()
	for b.Stats()[0].InFlight == 0 {
		time.Sleep(time.Millisecond)
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel2()
	if _, err := b.Chat(ctx2, ask("second")); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting call: %v", err)
	}
	cancel1()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("first call: %v", err)
	}
	if st := b.Stats()[0]; st.InFlight != 0 || st.Cooling || st.Failures != 0 {
		t.Errorf("stats after cancellations %+v", st)
	}
}

// A stream fails over before its first chunk, not after.
func TestStreamFailover(t *testing.T) {
	var n atomic.Int32
	flaky := newReplica(t, func(ollamatest.Request) ollamatest.Reply {
		if n.Add(1) == 1 {
			return ollamatest.Error(503, "busy")
		}
		return ollamatest.Cut("partial ")
	})
	good := newReplica(t, func(ollamatest.Request) ollamatest.Reply { return ollamatest.Text("all of it") })
	b := balance.MustNew(models(flaky, good), balance.WithRoundRobin())
	text, err := collect(b.Stream(context.Background(), ask("x")))
	if err != nil || text != "all of it" {
		t.Errorf("before the first chunk: %q %v", text, err)
	}
	b2 := balance.MustNew(models(flaky, good), balance.WithRoundRobin())
	text, err = collect(b2.Stream(context.Background(), ask("x")))
	if !errors.Is(err, llm.ErrIncompleteStream) || text != "partial " || good.calls() != 1 {
		t.Errorf("after the first chunk: %q %v, %d calls to the other replica", text, err, good.calls())
	}
}

func collect(s func(func(llm.Chunk, error) bool)) (string, error) {
	var text string
	for c, err := range s {
		if err != nil {
			return text, err
		}
		text += c.Text
	}
	return text, nil
}

func TestDescribe(t *testing.T) {
	a, c := newReplica(t, nil), newReplica(t, nil)
	b := balance.MustNew(models(a, c), balance.WithLatencyWeighted(), balance.WithMaxInFlight(4))
	n := b.Describe()
	if n.Kind != chain.KindRoute || n.Name != "balance" || n.Detail != "latency-weighted, max 4 in flight" || len(n.Children) != 2 || n.Children[1].Name != "ollama:llama3.2" {
		t.Errorf("%+v", n)
	}
	named := chain.Named("pool", chain.Chain[llm.Request, llm.Response](b))
	if d := chain.Describe(named); d.Name != "pool" || d.Kind != chain.KindRoute || len(d.Children) != 2 {
		t.Errorf("named %+v", d)
	}
	if d := balance.MustNew(models(a), balance.WithName("gpus")).Describe(); d.Name != "gpus" {
		t.Errorf("WithName %+v", d)
	}
}

func TestConfigErrors(t *testing.T) {
	r := newReplica(t, nil)
	for name, tc := range map[string]struct {
		reps []llm.ChatModel
		opts []balance.Option
	}{
		"none":        {nil, nil},
		"nil":         {[]llm.ChatModel{nil}, nil},
		"inflight":    {models(r), []balance.Option{balance.WithMaxInFlight(0)}},
		"failover":    {models(r), []balance.Option{balance.WithFailover(-1)}},
		"cooldown":    {models(r), []balance.Option{balance.WithCooldown(0)}},
		"maxcooldown": {models(r), []balance.Option{balance.WithMaxCooldown(-1)}},
		"threshold":   {models(r), []balance.Option{balance.WithFailureThreshold(0)}},
		"check":       {models(r), []balance.Option{balance.WithHealthCheck(nil)}},
		"checktime":   {models(r), []balance.Option{balance.WithHealthCheckTimeout(0)}},
		"clock":       {models(r), []balance.Option{balance.WithClock(nil)}},
		"name":        {models(r), []balance.Option{balance.WithName("")}},
	} {
		if _, err := balance.New(tc.reps, tc.opts...); !errors.Is(err, chain.ErrConfig) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

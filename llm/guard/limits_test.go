package guard_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain/chaintest"
	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/guard"
)

// 50 callers at once against a limit of 600 requests a minute (10 a
// second, a bucket of 10), on the real OpenAI adapter: with the clock
// held still, 10 go through and the 40 others are each given a slot 100 ms
// after the previous one, so no window of a second holds more than the
// bucket and a second's refill. A second wave, once the clock has moved
// on, is scheduled the same way from where the first left off. Checking
// the schedule rather than arrival times keeps the test exact however
// slowly the machine runs.
func TestRateLimitHeldUnderFiftyCallers(t *testing.T) {
	s := openaitest.New(t)
	clk := chaintest.NewClock(epoch)
	const rpm, callers = 600, 50
	m := guard.MustNew(newOpenAI(t, s), guard.WithRateLimit(rpm, 0), guard.WithClock(clk))

	wave := func(n int) []time.Duration {
		t.Helper()
		before := len(clk.Waits())
		served := len(s.Requests())
		var wg sync.WaitGroup
		var failed atomic.Int64
		for range n {
			wg.Go(func() {
				if _, err := m.Chat(context.Background(), ask("hi")); err != nil {
					failed.Add(1)
					t.Error(err)
				}
			})
		}
		// Wait until every caller either went through or holds a slot.
		deadline := time.Now().Add(10 * time.Second)
		for len(clk.Waits())-before+len(s.Requests())-served < n {
			if time.Now().After(deadline) {
				t.Fatalf("%d callers waiting, %d served, want %d in all", len(clk.Waits())-before, len(s.Requests())-served, n)
			}
			time.Sleep(time.Millisecond)
		}
		waits := slices.Clone(clk.Waits()[before:])
		clk.Advance(time.Minute) // release them all
		wg.Wait()
		if failed.Load() > 0 {
			t.FailNow()
		}
		slices.Sort(waits)
		return waits
	}

	first := wave(callers)
	if got := len(s.Requests()); got != callers {
		t.Fatalf("%d requests reached the server, want %d", got, callers)
	}
	if len(first) != callers-10 {
		t.Fatalf("%d callers waited, want %d (a bucket of 10 goes at once)", len(first), callers-10)
	}
	for i, w := range first {
		if want := time.Duration(i+1) * 100 * time.Millisecond; w < want-time.Millisecond || w > want+time.Millisecond {
			t.Fatalf("caller %d waits %v, want %v (one slot every 100 ms)", i, w, want)
		}
	}
	// Granted times: 10 at 0 and one every 100 ms after: at most 20 in any
	// window of a second.
	grants := make([]time.Duration, 10, callers)
	grants = append(grants, first...)
	worst := 0
	for i := range grants {
		j := sort.Search(len(grants), func(k int) bool { return grants[k] >= grants[i]+time.Second })
		worst = max(worst, j-i)
	}
	if worst > 20 {
		t.Fatalf("%d requests in one second, limit 20", worst)
	}

	// A minute later the bucket is full again: the same schedule.
	second := wave(callers)
	if len(second) != callers-10 || second[0] < 99*time.Millisecond || second[len(second)-1] > 4*time.Second+time.Millisecond {
		t.Fatalf("second wave waits %v", second)
	}
	if got := len(s.Requests()); got != 2*callers {
		t.Fatalf("%d requests, want %d", got, 2*callers)
	}
}

func TestRateLimitPastDeadlineFailsAtOnce(t *testing.T) {
	clk := chaintest.NewClock(epoch)
	inner := &echoModel{}
	m := guard.MustNew(inner, guard.WithRateLimit(1, 0), guard.WithClock(clk))
	if _, err := m.Chat(context.Background(), ask("first")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := m.Chat(ctx, ask("second"))
	var rl *guard.RateLimitError
	if !errors.As(err, &rl) || !errors.Is(err, guard.ErrRateLimited) || rl.Wait < 59*time.Second {
		t.Fatalf("error %v, want a *guard.RateLimitError of about a minute", err)
	}
	if len(clk.Waits()) != 0 || inner.calls.Load() != 1 {
		t.Fatalf("waits %v, %d calls", clk.Waits(), inner.calls.Load())
	}
}

func TestTokenLimitCorrectedByUsage(t *testing.T) {
	clk := chaintest.NewClock(epoch) // never advances: only the correction frees tokens
	inner := &echoModel{}            // reports 5 tokens
	m := guard.MustNew(inner, guard.WithRateLimit(0, 1000), guard.WithClock(clk))
	req := ask("hi")
	req.MaxTokens = 900
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	for i := range 5 {
		if _, err := m.Chat(ctx, req); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	req.MaxTokens = 2000 // more than a minute's worth: waits for the bucket
	if _, err := m.Chat(ctx, req); !errors.Is(err, guard.ErrRateLimited) {
		t.Fatalf("error %v, want ErrRateLimited", err)
	}
}

func TestRateLimitCancelledWhileWaiting(t *testing.T) {
	clk := chaintest.NewClock(epoch)
	m := guard.MustNew(&echoModel{}, guard.WithRateLimit(1, 0), guard.WithClock(clk))
	if _, err := m.Chat(context.Background(), ask("first")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := m.Chat(ctx, ask("second"))
		done <- err
	}()
	for len(clk.Waits()) == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v", err)
	}
}

const completion = `{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini",` +
	`"choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],` +
	`"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}`

func TestConcurrencyCapHeld(t *testing.T) {
	s := openaitest.New(t)
	var inflight, peak atomic.Int64
	s.SetDefault(openaitest.EndpointChat, openaitest.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inflight.Add(1)
		defer inflight.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		time.Sleep(2 * time.Millisecond)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(completion))
	})))
	const limit = 3
	m := guard.MustNew(newOpenAI(t, s), guard.WithMaxConcurrent(limit))
	var wg sync.WaitGroup
	for range 30 {
		wg.Go(func() {
			for range 3 {
				if _, err := llm.Chat(context.Background(), m, ask("hi")); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if p := peak.Load(); p > limit || p < 2 {
		t.Fatalf("peak of %d requests in flight at the server, cap %d", p, limit)
	}
}

package guard_test

import (
	"context"
	"errors"
	"net/http"
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

func TestRateLimitHeldUnderFiftyCallers(t *testing.T) {
	s := openaitest.New(t)
	clk := chaintest.NewClock(epoch)
	var (
		mu       sync.Mutex
		arrivals []time.Time
	)
	s.SetDefault(openaitest.EndpointChat, openaitest.Func(func(*openaitest.Request) openaitest.Reply {
		mu.Lock()
		arrivals = append(arrivals, clk.Now())
		mu.Unlock()
		return openaitest.Echo()
	}))
	const rpm, callers, each = 600, 50, 4 // 10 a second, a bucket of 10
	m := guard.MustChat(newOpenAI(t, s), guard.RateLimit(rpm, 0), guard.WithClock(clk))

	var wg sync.WaitGroup
	var failed atomic.Int64
	for range callers {
		wg.Go(func() {
			for range each {
				if _, err := m.Chat(context.Background(), ask("hi")); err != nil {
					failed.Add(1)
					t.Error(err)
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	const step = 10 * time.Millisecond
drive:
	for {
		select {
		case <-done:
			break drive
		default:
			clk.Advance(step)
			time.Sleep(20 * time.Microsecond)
		}
	}
	if failed.Load() > 0 {
		t.FailNow()
	}
	sort.Slice(arrivals, func(i, j int) bool { return arrivals[i].Before(arrivals[j]) })
	if len(arrivals) != callers*each {
		t.Fatalf("%d requests", len(arrivals))
	}
	// In any window of a second: at most the bucket (10) plus a second's
	// refill (10), plus one for a waiter released a clock step late.
	const window, limit = time.Second, 10 + 10 + 1
	worst := 0
	for i := range arrivals {
		j := sort.Search(len(arrivals), func(k int) bool { return !arrivals[k].Before(arrivals[i].Add(window)) })
		worst = max(worst, j-i)
	}
	if worst > limit {
		t.Errorf("%d requests in one second, limit %d", worst, limit)
	}
	span := arrivals[len(arrivals)-1].Sub(arrivals[0])
	if min := time.Duration(len(arrivals)-10) * time.Second / 10; span < min {
		t.Errorf("%d requests in %v, want at least %v at %d a minute", len(arrivals), span, min, rpm)
	}
	t.Logf("%d requests over %v of the fake clock, at most %d in a second", len(arrivals), span, worst)
}

func TestRateLimitPastDeadlineFailsAtOnce(t *testing.T) {
	clk := chaintest.NewClock(epoch)
	inner := &echoModel{}
	m := guard.MustChat(inner, guard.RateLimit(1, 0), guard.WithClock(clk))
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
	m := guard.MustChat(inner, guard.RateLimit(0, 1000), guard.WithClock(clk))
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
	m := guard.MustChat(&echoModel{}, guard.RateLimit(1, 0), guard.WithClock(clk))
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
	m := guard.MustChat(newOpenAI(t, s), guard.MaxConcurrent(limit))
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

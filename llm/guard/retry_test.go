package guard_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/ollamatest"
	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/guard"
)

// openAIFaults is a default reply that fails one request in five, in the
// ways a flaky OpenAI-compatible server does, and echoes otherwise. It
// counts the faults it injected.
func openAIFaults(seed uint64, faults *atomic.Int64) openaitest.Reply {
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(seed, 1))
	kinds := []openaitest.Reply{
		openaitest.RateLimited(time.Millisecond),
		openaitest.ServerError(),
		openaitest.Overloaded(),
		openaitest.CutStream("partial"), // a dropped connection
		openaitest.RawResponse(200, "application/json", `{"id": "chatcmpl-1", "choices": [`), // malformed JSON
		openaitest.BadGateway(),
	}
	return openaitest.Func(func(req *openaitest.Request) openaitest.Reply {
		mu.Lock()
		defer mu.Unlock()
		if rng.Float64() < 0.2 {
			faults.Add(1)
			return kinds[rng.IntN(len(kinds))]
		}
		return openaitest.Echo()
	})
}

func TestThousandCallsAtTwentyPercentFaultsAllAnswer(t *testing.T) {
	s := openaitest.New(t)
	var faults atomic.Int64
	s.SetDefault(openaitest.EndpointChat, openAIFaults(7, &faults))
	var ev events
	m := guard.MustNew(newOpenAI(t, s), guard.WithName("gpt"), guard.WithRetry(10), guard.WithClock(autoClock()), guard.WithTimeout(10*time.Second))
	ctx := ev.ctx(context.Background())

	const calls, workers = 1000, 8
	var wg sync.WaitGroup
	var answered atomic.Int64
	errs := make(chan error, calls)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < calls; i += workers {
				want := "question " + string(rune('a'+i%26)) + " " + strings.Repeat("x", i%7)
				resp, err := llm.Chat(ctx, m, ask(want))
				if err != nil {
					errs <- err
					continue
				}
				if resp.Text() != want {
					errs <- errors.New("wrong answer " + resp.Text())
					continue
				}
				answered.Add(1)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if answered.Load() != calls {
		t.Fatalf("%d of %d answered", answered.Load(), calls)
	}
	f := faults.Load()
	if f < 150 || f > 250 {
		t.Errorf("injected %d faults, want about 200", f)
	}
	if got := ev.count(chain.EventRetry, "gpt"); int64(got) != f {
		t.Errorf("%d retry events on path gpt, want one per fault (%d)", got, f)
	}
	if n := len(s.Requests()); int64(n) != calls+f {
		t.Errorf("%d requests, want %d", n, calls+f)
	}
}

func TestOllamaRetries(t *testing.T) {
	s := ollamatest.New(t)
	s.Enqueue(ollamatest.Error(503, "loading model"), ollamatest.Error(500, "boom"), ollamatest.Text("fine"))
	m := guard.MustNew(newOllama(t, s), guard.WithRetry(3), guard.WithClock(autoClock()))
	resp, err := m.Chat(context.Background(), ask("hi"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Text() != "fine" || len(s.Requests()) != 3 {
		t.Fatalf("answer %q after %d requests", resp.Text(), len(s.Requests()))
	}
}

func TestRetryAfterHonouredAndCapped(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.RateLimited(3*time.Second), openaitest.RateLimited(2*time.Hour), openaitest.Text("at last"))
	clk := autoClock()
	m := guard.MustNew(newOpenAI(t, s), guard.WithRetry(3), guard.WithBackoff(time.Millisecond, time.Millisecond),
		guard.WithMaxRetryAfter(time.Minute), guard.WithClock(clk))
	resp, err := m.Chat(context.Background(), ask("hi"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Text() != "at last" {
		t.Fatalf("answer %q", resp.Text())
	}
	waits := clk.Waits()
	if len(waits) != 2 || waits[0] < 3*time.Second || waits[1] != time.Minute {
		t.Fatalf("waits %v, want [>=3s 1m]: the server's wait, then the cap", waits)
	}
}

func TestWaitPastDeadlineFailsAtOnce(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.RateLimited(30 * time.Second))
	clk := autoClock()
	m := guard.MustNew(newOpenAI(t, s), guard.WithRetry(3), guard.WithClock(clk))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := m.Chat(ctx, ask("hi"))
	var we *guard.WaitError
	if !errors.As(err, &we) || !errors.Is(err, guard.ErrPastDeadline) || !errors.Is(err, llm.ErrRateLimited) {
		t.Fatalf("error %v (%T), want a *guard.WaitError for a 429", err, err)
	}
	if we.ServerWait != 30*time.Second || !strings.Contains(err.Error(), "server asked for 30s") {
		t.Errorf("server wait %v in %q", we.ServerWait, err)
	}
	if d, _ := chain.RetryAfter(err); d != 30*time.Second {
		t.Errorf("RetryAfter %v", d)
	}
	if len(clk.Waits()) != 0 || len(s.Requests()) != 1 {
		t.Errorf("waited %v and sent %d requests, want no wait and one request", clk.Waits(), len(s.Requests()))
	}
	if guard.Retryable(err) {
		t.Error("a WaitError is retryable")
	}
}

func TestNotRetried(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.BadRequest("no such parameter"))
	m := guard.MustNew(newOpenAI(t, s), guard.WithRetry(3), guard.WithClock(autoClock()))
	_, err := m.Chat(context.Background(), ask("hi"))
	if !errors.Is(err, llm.ErrBadRequest) || len(s.Requests()) != 1 {
		t.Fatalf("error %v after %d requests, want one 400", err, len(s.Requests()))
	}
}

func TestTimeoutPerAttemptIsRetried(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.Hang())
	m := guard.MustNew(newOpenAI(t, s), guard.WithRetry(2), guard.WithTimeout(50*time.Millisecond), guard.WithClock(autoClock()))
	resp, err := m.Chat(context.Background(), ask("again"))
	if err != nil || resp.Text() != "again" {
		t.Fatalf("%q, %v", resp.Text(), err)
	}
	s2 := openaitest.New(t)
	s2.EnqueueChat(openaitest.Hang())
	m2 := guard.MustNew(newOpenAI(t, s2), guard.WithTimeout(50*time.Millisecond))
	_, err = m2.Chat(context.Background(), ask("again"))
	if !errors.Is(err, chain.ErrTimeout) {
		t.Fatalf("error %v, want a timeout", err)
	}
}

func TestCancelMidWaitLeavesNoGoroutine(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.RateLimited(time.Hour))
	// The real clock: the call waits up to WithMaxRetryAfter, until cancelled.
	m := guard.MustNew(newOpenAI(t, s), guard.WithRetry(3), guard.WithMaxRetryAfter(time.Hour))
	var ev events
	ctx, cancel := context.WithCancel(ev.ctx(context.Background()))
	done := make(chan error, 1)
	go func() {
		_, err := m.Chat(ctx, ask("hi"))
		done <- err
	}()
	for ev.count(chain.EventRetry, "openai:gpt-4o-mini") == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	// goleak.VerifyTestMain checks that nothing is left running.
}

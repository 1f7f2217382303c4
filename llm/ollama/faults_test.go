package ollama_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/faultplan"
	"github.com/chorus-go/chorus/internal/ollamatest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/ollama"
)

// The fault-injection tests run many calls through the adapter with its
// default retry policy (two retries; only the backoff is shortened, so
// that the tests are fast) against a server that fails about one request
// in five, in the ways an Ollama server or the proxy in front of it does,
// and check that every call gets its right answer.
//
// The schedule is keyed on the call, not on the order in which requests
// arrive, so that it cannot flake under concurrency: call i asks "q<i>",
// and the server counts the requests it saw for each question. Call i
// fails its first attempt when i%4 == 0 and its second too when
// i%40 == 0; no call fails more than twice, which the default of two
// retries survives however the callers interleave. That makes 55 faults
// in 255 requests for 200 calls (21.6 %), 28 in 128 for 100.
//
// llm/openai runs 1,000 calls so; here 200 chats, because the api client
// allocates (and clears) a 512 KB line buffer for every chat request,
// which makes 1,000 of them cost seconds of CPU under -race.

// faultBackoff shortens the default backoff; the number of retries stays
// the default.
var faultBackoff = ollama.WithRetryBackoff(time.Millisecond, 5*time.Millisecond)

// faultReply answers chat requests following the plan.
func faultReply(t *testing.T, p *faultplan.Plan) func(r ollamatest.Request) ollamatest.Reply {
	return func(r ollamatest.Request) ollamatest.Reply {
		q := r.Prompt()
		_, kind, fault, err := p.Next(q)
		if err != nil {
			t.Error(err)
			return ollamatest.Error(400, "unexpected question")
		}
		if !fault {
			return ollamatest.Text("answer to " + q)
		}
		switch kind {
		case faultplan.RateLimited:
			// A proxy would send Retry-After in whole seconds, too slow for
			// a test; the adapter reads retry-after-ms too.
			return ollamatest.Error(429, "too many requests").WithHeader("Retry-After-Ms", "20")
		case faultplan.ServerError:
			return ollamatest.Error(500, "llama runner process has terminated: exit status 2")
		case faultplan.Overloaded:
			return ollamatest.Error(503, "server busy, please try again.  maximum pending requests exceeded")
		case faultplan.Cut:
			return ollamatest.Cut("") // streaming: before the first chunk
		}
		return ollamatest.Raw(200, "application/x-ndjson",
			`{"model":"llama3.2","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"answ`+"\n")
	}
}

// newFaultModel returns a model with the default retry policy (but for
// a shorter backoff) of a server following a fresh schedule.
func newFaultModel(t *testing.T) (*ollama.Model, *ollamatest.Server, *faultplan.Plan) {
	p := faultplan.New()
	s := ollamatest.New(t, ollamatest.WithDefault(faultReply(t, p)))
	m, err := ollama.New("llama3.2", ollama.WithHost(s.URL().String()), ollama.WithHTTPClient(s.HTTPClient()), faultBackoff)
	if err != nil {
		t.Fatal(err)
	}
	return m, s, p
}

func TestChatsAtOneFaultInFive(t *testing.T) {
	m, s, p := newFaultModel(t)
	const calls, workers = 200, 4
	failures := faultplan.Run(calls, workers, func(i int) error {
		q := fmt.Sprintf("q%d", i)
		resp, err := llm.Chat(testContext(t), m, ask(q))
		if err != nil {
			return err
		}
		if resp.Text() != "answer to "+q {
			return fmt.Errorf("answer %q", resp.Text())
		}
		return nil
	})
	p.Check(t, failures, calls, len(s.Requests()))
	t.Logf("%d calls, %d requests, faults by kind (429, 500, 503, cut, malformed): %v", calls, len(s.Requests()), p.Injected())
}

func TestHundredStreamsAtOneFaultInFive(t *testing.T) {
	m, s, p := newFaultModel(t)
	const calls, workers = 100, 4
	failures := faultplan.Run(calls, workers, func(i int) error {
		q := fmt.Sprintf("q%d", i)
		resp, err := llm.Collect(m.Stream(testContext(t), ask(q)))
		if err != nil {
			return err
		}
		if resp.Text() != "answer to "+q {
			return fmt.Errorf("answer %q", resp.Text())
		}
		return nil
	})
	p.Check(t, failures, calls, len(s.Requests()))
}

// noLeaks checks, once the test and its cleanups (the server's Close,
// registered later, runs first) are done, that no goroutine started
// after this call is left.
func noLeaks(t *testing.T) {
	opt := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, opt) })
}

// A server that stopped answering for good (as a real Ollama can after
// clients disconnect mid-stream): the adapter's timeout ends each
// attempt, the default retries try twice more, and the call fails with a
// retryable timeout; no goroutine is left.
func TestHangingServerTimesOut(t *testing.T) {
	noLeaks(t)
	s := ollamatest.New(t, ollamatest.WithDefault(func(ollamatest.Request) ollamatest.Reply { return ollamatest.Hang() }))
	m, err := ollama.New("llama3.2", ollama.WithHost(s.URL().String()), ollama.WithHTTPClient(s.HTTPClient()),
		ollama.WithTimeout(100*time.Millisecond), faultBackoff)
	if err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func(context.Context) error{
		"Chat":   func(ctx context.Context) error { _, err := m.Chat(ctx, ask("q0")); return err },
		"Stream": func(ctx context.Context) error { _, err := llm.Collect(m.Stream(ctx, ask("q0"))); return err },
	} {
		before := len(s.Requests())
		err := call(testContext(t))
		var le *llm.Error
		if !errors.As(err, &le) || !errors.Is(err, context.DeadlineExceeded) || !chain.IsRetryable(err) ||
			!strings.Contains(err.Error(), "no answer within 100ms (the adapter's timeout)") {
			t.Errorf("%s: err = %v, want the adapter's retryable timeout", name, err)
		}
		if n := len(s.Requests()) - before; n != 1+ollama.DefaultMaxRetries {
			t.Errorf("%s: %d attempts, want %d", name, n, 1+ollama.DefaultMaxRetries)
		}
	}
}

// A caller whose deadline comes before the adapter's timeout gets its own
// deadline's error, when it passes, not a retry; no goroutine is left.
func TestHangingServerCallerDeadline(t *testing.T) {
	noLeaks(t)
	s := ollamatest.New(t, ollamatest.WithDefault(func(ollamatest.Request) ollamatest.Reply { return ollamatest.Hang() }))
	m, err := ollama.New("llama3.2", ollama.WithHost(s.URL().String()), ollama.WithHTTPClient(s.HTTPClient()),
		ollama.WithTimeout(time.Minute), faultBackoff)
	if err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func(context.Context) error{
		"Chat":   func(ctx context.Context) error { _, err := m.Chat(ctx, ask("q0")); return err },
		"Stream": func(ctx context.Context) error { _, err := llm.Collect(m.Stream(ctx, ask("q0"))); return err },
	} {
		before := len(s.Requests())
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		start := time.Now()
		err := call(ctx)
		elapsed := time.Since(start)
		cancel()
		var le *llm.Error
		if !errors.Is(err, context.DeadlineExceeded) || errors.As(err, &le) || chain.IsRetryable(err) {
			t.Errorf("%s: err = %v, want the caller's deadline, not retryable", name, err)
		}
		// Not a speed test: a generous bound that the adapter's minute
		// would pass.
		if elapsed > 30*time.Second {
			t.Errorf("%s: returned after %v, long past the caller's 100ms deadline", name, elapsed)
		}
		if n := len(s.Requests()) - before; n != 1 {
			t.Errorf("%s: %d attempts, want 1", name, n)
		}
	}
}

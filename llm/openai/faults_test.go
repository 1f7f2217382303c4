package openai_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/openai"
)

// The fault-injection tests run many calls through an adapter with its
// default retry policy (two retries; only the backoff is shortened, so
// that the tests are fast) against a server that fails about one request
// in five, in the ways a flaky OpenAI-compatible server or the proxy in
// front of it does, and check that every call gets its right answer.
//
// The schedule is keyed on the call, not on the order in which requests
// arrive, so that it cannot flake under concurrency: call i asks "q<i>",
// and the server counts the requests it saw for each question. Call i
// fails its first attempt when i%4 == 0 and its second too when
// i%40 == 0; no call fails more than twice, which the default of two
// retries survives however the callers interleave. That makes 275 faults in 1,275 requests for 1,000
// calls (21.6 %), 28 in 128 for 100.

// The kinds of fault, cycled through.
const (
	faultRateLimited = iota // 429 with retry-after-ms
	faultServer             // 500
	faultOverloaded         // 503
	faultCut                // a dropped connection
	faultMalformed          // a 200 whose JSON body is cut short
	faultKinds
)

// rateLimitWait is the Retry-After of the injected 429s: small, so the
// test stays fast, and longer than the shortened backoff, so the adapter
// is seen to wait as the server asked.
const rateLimitWait = 20 * time.Millisecond

// faultBackoff shortens the default backoff; the number of retries stays
// the default.
var faultBackoff = openai.WithRetryBackoff(time.Millisecond, 5*time.Millisecond)

// planned says whether attempt (0 for the first) of call i fails, and how.
func planned(i, attempt int) (kind int, fault bool) {
	switch {
	case i%4 != 0, attempt > 1, attempt == 1 && i%40 != 0:
		return 0, false
	}
	return (i/4 + i/40 + attempt) % faultKinds, true
}

// plannedFaults is the number of faults the schedule injects into calls
// 0..n-1.
func plannedFaults(n int) int {
	total := 0
	for i := range n {
		for attempt := 0; ; attempt++ {
			if _, fault := planned(i, attempt); !fault {
				break
			}
			total++
		}
	}
	return total
}

// faultPlan is a server's default reply following the schedule: a fault,
// or answer(key) for the call whose key (its question or its input) is
// key.
type faultPlan struct {
	mu       sync.Mutex
	attempts map[string]int // requests seen per key
	faults   [faultKinds]int
}

func (p *faultPlan) reply(t *testing.T, key string, stream bool, answer func() openaitest.Reply) openaitest.Reply {
	i, err := strconv.Atoi(strings.TrimPrefix(key, "q"))
	if err != nil {
		t.Errorf("unexpected key %q", key)
		return openaitest.BadRequest("unexpected key")
	}
	p.mu.Lock()
	attempt := p.attempts[key]
	p.attempts[key]++
	kind, fault := planned(i, attempt)
	if fault {
		p.faults[kind]++
	}
	p.mu.Unlock()
	if !fault {
		return answer()
	}
	switch kind {
	case faultRateLimited:
		return openaitest.RateLimited(rateLimitWait)
	case faultServer:
		return openaitest.ServerError()
	case faultOverloaded:
		return openaitest.Overloaded()
	case faultCut:
		if stream {
			return openaitest.CutStream("") // before the first chunk
		}
		return openaitest.CutStream("half a body")
	}
	if stream {
		return openaitest.RawResponse(200, "text/event-stream", `data: {"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"conte`+"\n\n")
	}
	// A body cut short (go-openai reports io.ErrUnexpectedEOF) or cut and
	// followed by a proxy's page (a *json.SyntaxError), in turn.
	if i/4%2 == 0 {
		return openaitest.RawResponse(200, "application/json", `{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assis`)
	}
	return openaitest.RawResponse(200, "application/json", `{"id":"chatcmpl-1","object":"chat.completion","choices":<html><title>504 Gateway Time-out</title></html>`)
}

func (p *faultPlan) total() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, f := range p.faults {
		n += f
	}
	return n
}

// newFaultServer returns a test server following a fresh schedule.
func newFaultServer(t *testing.T) (*openaitest.Server, *faultPlan) {
	s := openaitest.New(t)
	p := &faultPlan{attempts: map[string]int{}}
	s.SetDefault(openaitest.EndpointChat, openaitest.Func(func(r *openaitest.Request) openaitest.Reply {
		q := r.LastUserMessage()
		return p.reply(t, q, r.Stream(), func() openaitest.Reply { return openaitest.Text("answer to " + q) })
	}))
	s.SetDefault(openaitest.EndpointEmbeddings, openaitest.Func(func(r *openaitest.Request) openaitest.Reply {
		if len(r.Inputs) != 1 {
			t.Errorf("%d inputs, want 1", len(r.Inputs))
		}
		return p.reply(t, r.Inputs[0], false, openaitest.HashEmbeddings)
	}))
	return s, p
}

// defaultPolicy returns options for an adapter of s with the default
// retries (newModel turns them off) and the shortened backoff.
func defaultPolicy(s *openaitest.Server) []openai.SharedOption {
	return []openai.SharedOption{openai.WithAPIKey(testKey), openai.WithBaseURL(s.URL()), openai.WithHTTPClient(s.HTTPClient()), faultBackoff}
}

// runCalls runs call(i) for i in 0..n-1 from workers goroutines and
// returns the failures, in order of i.
func runCalls(n, workers int, call func(i int) error) []string {
	var (
		mu       sync.Mutex
		failures []string
		wg       sync.WaitGroup
	)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				if err := call(i); err != nil {
					mu.Lock()
					failures = append(failures, fmt.Sprintf("call %d: %v", i, err))
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	slices.Sort(failures)
	return failures
}

func checkFaultRun(t *testing.T, failures []string, p *faultPlan, calls, requests int) {
	t.Helper()
	if len(failures) > 0 {
		t.Fatalf("%d of %d calls failed; the first: %s", len(failures), calls, failures[0])
	}
	want := plannedFaults(calls)
	if got := p.total(); got != want {
		t.Errorf("the server injected %d faults, want %d", got, want)
	}
	if requests != calls+want {
		t.Errorf("the server saw %d requests, want %d calls + %d faults: no call was given up, none sent more than it had to", requests, calls, want)
	}
	for kind, n := range p.faults {
		if n == 0 {
			t.Errorf("no fault of kind %d was injected", kind)
		}
	}
}

func TestThousandChatsAtOneFaultInFive(t *testing.T) {
	s, p := newFaultServer(t)
	var opts []openai.Option
	for _, o := range defaultPolicy(s) {
		opts = append(opts, o)
	}
	m, err := openai.New("gpt-4o-mini", opts...)
	if err != nil {
		t.Fatal(err)
	}
	const calls, workers = 1000, 4
	failures := runCalls(calls, workers, func(i int) error {
		q := fmt.Sprintf("q%d", i)
		resp, err := llm.Chat(context.Background(), m, user(q))
		if err != nil {
			return err
		}
		if resp.Text() != "answer to "+q {
			return fmt.Errorf("answer %q", resp.Text())
		}
		return nil
	})
	checkFaultRun(t, failures, p, calls, len(s.Requests()))
	t.Logf("%d calls, %d requests, faults by kind (429, 500, 503, cut, malformed): %v", calls, len(s.Requests()), p.faults)
}

func TestHundredStreamsAtOneFaultInFive(t *testing.T) {
	s, p := newFaultServer(t)
	var opts []openai.Option
	for _, o := range defaultPolicy(s) {
		opts = append(opts, o)
	}
	m, err := openai.New("gpt-4o-mini", opts...)
	if err != nil {
		t.Fatal(err)
	}
	const calls, workers = 100, 4
	failures := runCalls(calls, workers, func(i int) error {
		q := fmt.Sprintf("q%d", i)
		resp, err := llm.Collect(m.Stream(context.Background(), user(q)))
		if err != nil {
			return err
		}
		if resp.Text() != "answer to "+q {
			return fmt.Errorf("answer %q", resp.Text())
		}
		return nil
	})
	checkFaultRun(t, failures, p, calls, len(s.Requests()))
}

func TestHundredEmbeddingsAtOneFaultInFive(t *testing.T) {
	s, p := newFaultServer(t)
	var opts []openai.EmbedOption
	for _, o := range defaultPolicy(s) {
		opts = append(opts, o)
	}
	e, err := openai.NewEmbedder("text-embedding-3-small", opts...)
	if err != nil {
		t.Fatal(err)
	}
	const calls, workers = 100, 4
	failures := runCalls(calls, workers, func(i int) error {
		text := fmt.Sprintf("q%d", i)
		v, err := e.Embed(context.Background(), []string{text})
		if err != nil {
			return err
		}
		if len(v) != 1 || !slices.Equal(v[0], openaitest.Embed(text, openaitest.DefaultEmbeddingDim)) {
			return fmt.Errorf("vectors %v", v)
		}
		return nil
	})
	checkFaultRun(t, failures, p, calls, s.EmbeddingRequests())
}

package openai_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/chorus-go/chorus/internal/faultplan"
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

// rateLimitWait is the Retry-After of the injected 429s: small, so the
// test stays fast, and longer than the shortened backoff, so the adapter
// is seen to wait as the server asked.
const rateLimitWait = 20 * time.Millisecond

// faultBackoff shortens the default backoff; the number of retries stays
// the default.
var faultBackoff = openai.WithRetryBackoff(time.Millisecond, 5*time.Millisecond)

// faultReply is a server's default reply following the plan: a fault, or
// answer() for the call whose key (its question or its input) is key.
func faultReply(t *testing.T, p *faultplan.Plan, key string, stream bool, answer func() openaitest.Reply) openaitest.Reply {
	i, kind, fault, err := p.Next(key)
	if err != nil {
		t.Error(err)
		return openaitest.BadRequest("unexpected key")
	}
	if !fault {
		return answer()
	}
	switch kind {
	case faultplan.RateLimited:
		return openaitest.RateLimited(rateLimitWait)
	case faultplan.ServerError:
		return openaitest.ServerError()
	case faultplan.Overloaded:
		return openaitest.Overloaded()
	case faultplan.Cut:
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

// newFaultServer returns a test server following a fresh schedule.
func newFaultServer(t *testing.T) (*openaitest.Server, *faultplan.Plan) {
	s := openaitest.New(t)
	p := faultplan.New()
	s.SetDefault(openaitest.EndpointChat, openaitest.Func(func(r *openaitest.Request) openaitest.Reply {
		q := r.LastUserMessage()
		return faultReply(t, p, q, r.Stream(), func() openaitest.Reply { return openaitest.Text("answer to " + q) })
	}))
	s.SetDefault(openaitest.EndpointEmbeddings, openaitest.Func(func(r *openaitest.Request) openaitest.Reply {
		if len(r.Inputs) != 1 {
			t.Errorf("%d inputs, want 1", len(r.Inputs))
		}
		return faultReply(t, p, r.Inputs[0], false, openaitest.HashEmbeddings)
	}))
	return s, p
}

// defaultPolicy returns options for an adapter of s with the default
// retries (newModel turns them off) and the shortened backoff.
func defaultPolicy(s *openaitest.Server) []openai.SharedOption {
	return []openai.SharedOption{openai.WithAPIKey(testKey), openai.WithBaseURL(s.URL()), openai.WithHTTPClient(s.HTTPClient()), faultBackoff}
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
	failures := faultplan.Run(calls, workers, func(i int) error {
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
	p.Check(t, failures, calls, len(s.Requests()))
	t.Logf("%d calls, %d requests, faults by kind (429, 500, 503, cut, malformed): %v", calls, len(s.Requests()), p.Injected())
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
	failures := faultplan.Run(calls, workers, func(i int) error {
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
	p.Check(t, failures, calls, len(s.Requests()))
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
	failures := faultplan.Run(calls, workers, func(i int) error {
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
	p.Check(t, failures, calls, s.EmbeddingRequests())
}

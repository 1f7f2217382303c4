package reliable

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/examples/internal/faulty"
	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/openai"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fast are settings with short backoffs, for tests.
var fast = Settings{Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}

// Chat calls, streams and embeddings through the guard against a server
// that fails one request in five all succeed, and the hook counts one
// retry per injected failure.
func TestGuardedModelsAgainstFaults(t *testing.T) {
	s := openaitest.New(t, openaitest.WithAPIKey("sk-test"))
	var sched faulty.Schedule
	sched.Serve(s, openaitest.Text("fine"))
	opts := []openai.SharedOption{openai.WithAPIKey("sk-test"), openai.WithBaseURL(s.URL()), openai.WithHTTPClient(s.HTTPClient()), openai.WithMaxRetries(AdapterRetries)}
	chat, err := fast.Chat(openai.MustNew("gpt-4o-mini", toOptions(opts)...))
	if err != nil {
		t.Fatal(err)
	}
	var eopts []openai.EmbedOption
	for _, o := range opts {
		eopts = append(eopts, o)
	}
	emb, err := fast.Embedder(openai.MustEmbedder("text-embedding-3-small", eopts...))
	if err != nil {
		t.Fatal(err)
	}
	var count Counter
	ctx := chain.WithHooks(context.Background(), count.Hook())
	var wg sync.WaitGroup
	errs := make(chan error, 60)
	for i := range 20 {
		wg.Add(3)
		go func() {
			defer wg.Done()
			r, err := llm.Chat(ctx, chat, llm.Request{Messages: []llm.Message{llm.User(fmt.Sprint("q", i))}})
			if err == nil && r.Message.Text() != "fine" {
				err = fmt.Errorf("answer %q", r.Message.Text())
			}
			errs <- err
		}()
		go func() {
			defer wg.Done()
			text, err := "", error(nil)
			for c, e := range llm.Stream(ctx, chat, llm.Request{Messages: []llm.Message{llm.User("s")}}) {
				if e != nil {
					err = e
					break
				}
				text += c.Text
			}
			if err == nil && text != "fine" {
				err = fmt.Errorf("streamed %q", text)
			}
			errs <- err
		}()
		go func() {
			defer wg.Done()
			_, err := llm.Embed(ctx, emb, []string{"a", "b"})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if sched.Injected() < 10 {
		t.Errorf("only %s", sched.String())
	}
	if count.Retries() != sched.Injected() {
		t.Errorf("%d retries counted, %s", count.Retries(), sched.String())
	}
	if !strings.HasPrefix(count.String(), fmt.Sprintf("reliability: %d retries (openai:", sched.Injected())) {
		t.Errorf("%s", count.String())
	}
}

func toOptions(shared []openai.SharedOption) []openai.Option {
	var out []openai.Option
	for _, o := range shared {
		out = append(out, o)
	}
	return out
}

func TestCounterString(t *testing.T) {
	var c Counter
	if got, want := c.String(), "reliability: 0 retries, 0 fallbacks"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	h := c.Hook()
	ctx := context.Background()
	gpt := chain.NodeInfo{Name: "openai:gpt-4o-mini"}
	h.Event(ctx, gpt, chain.Event{Kind: chain.EventRetry})
	h.Event(ctx, gpt, chain.Event{Kind: chain.EventRetry})
	h.Event(ctx, chain.NodeInfo{Name: "openai:text-embedding-3-small"}, chain.Event{Kind: chain.EventRetry})
	h.Event(ctx, chain.NodeInfo{Name: "ask"}, chain.Event{Kind: chain.EventFallback, Name: "extractive"})
	h.Event(ctx, gpt, chain.Event{Kind: chain.EventBreaker, From: chain.Closed, To: chain.Open})
	h.Event(ctx, gpt, chain.Event{Kind: chain.EventTokens})
	want := "reliability: 3 retries (openai:gpt-4o-mini 2, openai:text-embedding-3-small 1), 1 fallback (to extractive 1), breaker opened 1 time"
	if got := c.String(); got != want {
		t.Errorf("%q, want %q", got, want)
	}
	if c.Retries() != 3 || c.Fallbacks() != 1 {
		t.Errorf("%d retries, %d fallbacks", c.Retries(), c.Fallbacks())
	}
}

func TestCheckOpenAIModel(t *testing.T) {
	s := openaitest.New(t, openaitest.WithAPIKey("sk-test"), openaitest.WithModels("gpt-4o-mini"))
	ctx := context.Background()
	if err := CheckOpenAIModel(ctx, s.HTTPClient(), s.URL(), "sk-test", "gpt-4o-mini", ""); err != nil {
		t.Errorf("a listed model: %v", err)
	}
	err := CheckOpenAIModel(ctx, s.HTTPClient(), s.URL(), "sk-test", "gpt-9", "choose another with -model")
	var nf *NotFoundError
	if !errors.As(err, &nf) || !errors.Is(err, llm.ErrModelNotFound) || nf.Model != "gpt-9" {
		t.Fatalf("a missing model: %v", err)
	}
	if want := `has no model "gpt-9" (choose another with -model)`; !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), s.URL()) {
		t.Errorf("%q lacks %q and the server", err, want)
	}
	if n := len(s.Requests()); n != 2 {
		t.Errorf("%d requests, want one a check", n)
	}

	// A server without the endpoint (a plain 404), or failing, cannot
	// tell: the check lets the model through.
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/down") {
			http.Error(w, `{"error": {"message": "overloaded"}}`, http.StatusServiceUnavailable)
			return
		}
		http.Error(w, `{"detail":"Not Found"}`, http.StatusNotFound)
	}))
	defer plain.Close()
	defer plain.Client().CloseIdleConnections()
	for _, m := range []string{"any", "down"} {
		if err := CheckOpenAIModel(ctx, plain.Client(), plain.URL+"/v1", "", m, ""); err != nil {
			t.Errorf("%s: %v", m, err)
		}
	}
}

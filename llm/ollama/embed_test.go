package ollama_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/ollamatest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/ollama"
)

// approx compares vectors the server normalised once more.
var approx = cmpopts.EquateApprox(0, 1e-6)

func texts(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("text number %d", i)
	}
	return out
}

func TestEmbedSplitsAndKeepsOrder(t *testing.T) {
	s := ollamatest.New(t, ollamatest.WithEmbedDim(16))
	e := newEmbedder(t, s, "nomic-embed-text", ollama.WithBatchSize(500), ollama.WithKeepAlive(-1),
		ollama.WithTruncate(false), ollama.WithModelOptions(map[string]any{"num_ctx": 512}))
	if d := e.Dimensions(); d != 0 {
		t.Errorf("Dimensions before a call = %d", d)
	}
	in := texts(1100)
	vecs, err := e.Embed(testContext(t), in)
	if err != nil {
		t.Fatal(err)
	}
	if len(vecs) != len(in) {
		t.Fatalf("%d vectors for %d texts", len(vecs), len(in))
	}
	for i, v := range vecs {
		if diff := cmp.Diff(ollamatest.HashVector(in[i], 16), v, approx); diff != "" {
			t.Fatalf("vector %d (-want +got):\n%s", i, diff)
		}
	}
	reqs := s.EmbedRequests()
	var sizes []int
	for _, r := range reqs {
		sizes = append(sizes, len(r.Inputs()))
		if !bytes.Contains(r.Body, []byte(`"keep_alive":-1`)) || r.Embed.Truncate == nil || *r.Embed.Truncate ||
			r.Embed.Options["num_ctx"] != 512.0 || r.Embed.Model != "nomic-embed-text" {
			t.Errorf("request carries keep_alive %v, truncate %v, options %v, model %q", r.Embed.KeepAlive, r.Embed.Truncate, r.Embed.Options, r.Embed.Model)
		}
	}
	if diff := cmp.Diff([]int{500, 500, 100}, sizes); diff != "" {
		t.Errorf("batch sizes (-want +got):\n%s", diff)
	}
	if d := e.Dimensions(); d != 16 {
		t.Errorf("Dimensions = %d, want 16", d)
	}
	if v, err := e.Embed(testContext(t), nil); err != nil || len(v) != 0 || len(s.EmbedRequests()) != 3 {
		t.Errorf("Embed(nil) = %v, %v", v, err)
	}
}

func TestEmbedDimensions(t *testing.T) {
	s := ollamatest.New(t, ollamatest.WithEmbedDim(16))
	e := newEmbedder(t, s, "e", ollama.WithDimensions(4))
	if e.Dimensions() != 4 {
		t.Errorf("Dimensions = %d before the call, want 4", e.Dimensions())
	}
	vecs, err := e.Embed(testContext(t), []string{"a", "b"})
	if err != nil || len(vecs[0]) != 4 || lastRequest(t, s).Embed.Dimensions != 4 {
		t.Errorf("Embed = %v, %v", vecs, err)
	}
	// A server that ignores "dimensions" is caught.
	s.EnqueueEmbed(ollamatest.Func(func(r ollamatest.Request) ollamatest.Reply {
		return ollamatest.Raw(200, "application/json", `{"model":"e","embeddings":[[1,0,0]]}`)
	}))
	_, err = e.Embed(testContext(t), []string{"a"})
	var le *llm.Error
	if !errors.As(err, &le) || le.Retryable() {
		t.Errorf("err = %v, want a non-retryable *llm.Error", err)
	}
	s.EnqueueEmbed(ollamatest.Raw(200, "application/json", `{"model":"e","embeddings":[[1,0,0,0]]}`))
	if _, err = e.Embed(testContext(t), []string{"a", "b"}); !errors.As(err, &le) {
		t.Errorf("1 vector for 2 texts: err = %v", err)
	}
}

// llm.EmbedChain gathers concurrent single-text calls into few requests.
func TestEmbedChainBatchesConcurrentCalls(t *testing.T) {
	s := ollamatest.New(t)
	e := newEmbedder(t, s, "nomic-embed-text")
	c := llm.EmbedChain(e)
	in := texts(1000)
	out := make([][]float32, len(in))
	errs := make([]error, len(in))
	ctx := testContext(t)
	var wg sync.WaitGroup
	for i := range in {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], errs[i] = c.Run(ctx, in[i])
		}()
	}
	wg.Wait()
	for i := range in {
		if errs[i] != nil {
			t.Fatalf("call %d: %v", i, errs[i])
		}
		if diff := cmp.Diff(ollamatest.HashVector(in[i], ollamatest.DefaultEmbedDim), out[i], approx); diff != "" {
			t.Fatalf("vector %d (-want +got):\n%s", i, diff)
		}
	}
	n := len(s.EmbedRequests())
	t.Logf("1000 concurrent calls: %d requests", n)
	if n > 100 {
		t.Errorf("%d requests for 1000 concurrent single-text calls, want few", n)
	}
	if got := s.EmbedInputCount(); got != 1000 {
		t.Errorf("server embedded %d texts", got)
	}
}

func TestEmbedTokenEvents(t *testing.T) {
	s := ollamatest.New(t)
	e := newEmbedder(t, s, "e", ollama.WithBatchSize(2))
	var events []chain.Event
	ctx := chain.WithHooks(testContext(t), chain.HookFuncs{OnEvent: func(_ context.Context, _ chain.NodeInfo, ev chain.Event) {
		events = append(events, ev)
	}})
	if _, err := e.Embed(ctx, []string{"one two", "three", "four"}); err != nil {
		t.Fatal(err)
	}
	if len(events) != 0 {
		t.Fatalf("Embed reported %+v, want nothing", events)
	}
	// llm.Embed reports the two requests' tokens once, summed.
	if _, err := llm.Embed(ctx, e, []string{"one two", "three", "four"}); err != nil {
		t.Fatal(err)
	}
	want := []chain.Event{{Kind: chain.EventTokens, Name: "ollama:e", InputTokens: 4}}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

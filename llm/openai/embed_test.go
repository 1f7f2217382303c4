package openai_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/openai"
)

func texts(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("document number %d about topic %d", i, i%17)
	}
	return out
}

func wantVectors(in []string, dim int) [][]float32 {
	out := make([][]float32, len(in))
	for i, s := range in {
		out[i] = openaitest.Embed(s, dim)
	}
	return out
}

func TestEmbedSplitsAndKeepsOrder(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []openai.EmbedOption
	}{
		{"sequential", nil},
		{"concurrent", []openai.EmbedOption{openai.WithConcurrency(3)}},
		{"base64", []openai.EmbedOption{openai.WithBase64Embeddings(true)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openaitest.New(t)
			e := newEmbedder(t, s, tc.opts...)
			if d := e.Dimensions(); d != 0 {
				t.Errorf("Dimensions before the first call = %d, want 0", d)
			}
			in := texts(5000)
			ctx, events := tokenEvents(context.Background())
			got, err := llm.Embed(ctx, e, in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantVectors(in, openaitest.DefaultEmbeddingDim), got); diff != "" {
				t.Errorf("vectors (-want +got):\n%.2000s", diff)
			}
			if n := s.EmbeddingRequests(); n != 3 {
				t.Errorf("%d requests for 5000 texts, want 3 (2048 a request)", n)
			}
			var sizes []int
			for _, r := range s.Requests() {
				sizes = append(sizes, len(r.Inputs))
				if b64 := r.Embedding.EncodingFormat == "base64"; b64 != (tc.name == "base64") {
					t.Errorf("encoding_format = %q", r.Embedding.EncodingFormat)
				}
			}
			if tc.name != "concurrent" && !cmp.Equal(sizes, []int{2048, 2048, 904}) {
				t.Errorf("request sizes = %v", sizes)
			}
			if d := e.Dimensions(); d != openaitest.DefaultEmbeddingDim {
				t.Errorf("Dimensions after a call = %d", d)
			}
			// llm.Embed reports the three requests' usage once, summed.
			if ev := events(); len(ev) != 1 || ev[0].InputTokens == 0 || ev[0].Name != "openai:text-embedding-3-small" {
				t.Errorf("token events = %+v, want one of openai:text-embedding-3-small with input tokens", ev)
			}
		})
	}
}

func TestEmbedBatchAndTokenLimits(t *testing.T) {
	s := openaitest.New(t)
	e := newEmbedder(t, s, openai.WithBatchSize(4), openai.WithMaxRequestTokens(30))
	in := []string{
		strings.Repeat("a", 30), strings.Repeat("b", 30), strings.Repeat("c", 30), // 10 tokens each: 3 fit
		strings.Repeat("d", 300), // 100 tokens: alone, though over the limit
		"e", "f", "g", "h", "i",  // 1 token each: 4 a request
	}
	got, err := e.Embed(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantVectors(in, openaitest.DefaultEmbeddingDim), got); diff != "" {
		t.Errorf("vectors (-want +got):\n%s", diff)
	}
	var sizes []int
	for _, r := range s.Requests() {
		sizes = append(sizes, len(r.Inputs))
	}
	if want := []int{3, 1, 4, 1}; !cmp.Equal(sizes, want) {
		t.Errorf("request sizes = %v, want %v", sizes, want)
	}
}

func TestEmbedDimensions(t *testing.T) {
	s := openaitest.New(t)
	e := newEmbedder(t, s, openai.WithDimensions(8))
	if d := e.Dimensions(); d != 8 {
		t.Errorf("Dimensions = %d, want 8 before any call", d)
	}
	got, err := e.Embed(context.Background(), []string{"hello world"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(got[0]) != 8 {
		t.Fatalf("got %d vectors of %d", len(got), len(got[0]))
	}
	if r, _ := s.LastRequest(); r.Embedding.Dimensions != 8 || r.Model() != "text-embedding-3-small" {
		t.Errorf("dimensions %d, model %q sent", r.Embedding.Dimensions, r.Model())
	}
}

func TestEmbedEdgeCases(t *testing.T) {
	s := openaitest.New(t)
	e := newEmbedder(t, s)
	got, err := e.Embed(context.Background(), nil)
	if got != nil || err != nil {
		t.Errorf("Embed(nil) = %v, %v; want nil, nil", got, err)
	}
	_, err = e.Embed(context.Background(), []string{"a", "", "c"})
	if !errors.Is(err, llm.ErrInvalidRequest) || !strings.Contains(err.Error(), "text 1 of 3 is empty") {
		t.Errorf("empty text: err = %v", err)
	}
	if n := len(s.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}

	// A server that answers with the wrong number of vectors.
	s.EnqueueEmbeddings(openaitest.Embeddings([]float32{1, 0}, []float32{0, 1}))
	_, err = e.Embed(context.Background(), []string{"a", "b", "c"})
	var le *llm.Error
	if !errors.As(err, &le) || !strings.Contains(le.Message, "2 vectors for 3 texts") {
		t.Errorf("mismatch: err = %v", err)
	}
}

func TestEmbedErrors(t *testing.T) {
	s := openaitest.New(t)
	e := newEmbedder(t, s, openai.WithBatchSize(10), openai.WithConcurrency(2))
	s.EnqueueEmbeddings(openaitest.RateLimited(1200 * time.Millisecond))
	_, err := e.Embed(context.Background(), texts(5))
	var le *llm.Error
	if !errors.As(err, &le) || !errors.Is(err, llm.ErrRateLimited) || le.RetryAfter() != 1200*time.Millisecond {
		t.Errorf("err = %v, want 429 with RetryAfter 1.2s", err)
	}
	// One failed request of several fails the call.
	s.EnqueueEmbeddings(openaitest.HashEmbeddings(), openaitest.ServerError())
	got, err := e.Embed(context.Background(), texts(30))
	if !errors.Is(err, llm.ErrServer) || got != nil {
		t.Errorf("got %d vectors, err = %v; want nil and a server error", len(got), err)
	}
}

func TestEmbedCancel(t *testing.T) {
	s := openaitest.New(t)
	s.SetDefault(openaitest.EndpointEmbeddings, openaitest.Hang())
	e := newEmbedder(t, s, openai.WithBatchSize(2), openai.WithConcurrency(4))
	_, err := e.Embed(ctxTimeout(t, 100*time.Millisecond), texts(20))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want DeadlineExceeded", err)
	}
}

// TestEmbedChainBatches: 1000 concurrent single-text calls through
// llm.EmbedChain (chain.Batch) become a few requests.
func TestEmbedChainBatches(t *testing.T) {
	s := openaitest.New(t)
	e := newEmbedder(t, s)
	c := llm.EmbedChain(e, chain.MaxSize(256), chain.MaxWait(20*time.Millisecond))
	in := texts(1000)
	got := make([][]float32, len(in))
	errs := make([]error, len(in))
	var wg sync.WaitGroup
	for i := range in {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], errs[i] = c.Run(context.Background(), in[i])
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantVectors(in, openaitest.DefaultEmbeddingDim), got); diff != "" {
		t.Errorf("vectors (-want +got):\n%.2000s", diff)
	}
	n := s.EmbeddingRequests()
	t.Logf("1000 calls made %d requests", n)
	if n > 40 {
		t.Errorf("%d requests for 1000 calls, want a few (batches of up to 256)", n)
	}
	if s.EmbeddingInputs() != 1000 {
		t.Errorf("%d inputs sent", s.EmbeddingInputs())
	}
}

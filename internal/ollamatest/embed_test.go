package ollamatest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ollama/ollama/api"
)

func TestEmbedSeveralInputs(t *testing.T) {
	s := New(t, WithModels("nomic-embed-text"), WithEmbedDim(16))
	inputs := []string{"alpha", "beta", "alpha"}

	resp, err := s.Client().Embed(testContext(t), &api.EmbedRequest{Model: "nomic-embed-text", Input: inputs})
	if err != nil {
		t.Fatalf("Embed: %v", err)
	}
	if resp.Model != "nomic-embed-text" || len(resp.Embeddings) != 3 || resp.PromptEvalCount != 3 {
		t.Fatalf("response = %+v", resp)
	}
	for i, v := range resp.Embeddings {
		if len(v) != 16 {
			t.Fatalf("embedding %d has %d dimensions, want 16", i, len(v))
		}
		if n := norm(v); math.Abs(n-1) > 1e-5 {
			t.Errorf("embedding %d has norm %v, want 1", i, n)
		}
		if diff := cmp.Diff(HashVector(inputs[i], 16), v); diff != "" {
			t.Errorf("embedding %d is not HashVector (-want +got):\n%s", i, diff)
		}
	}
	if cmp.Equal(resp.Embeddings[0], resp.Embeddings[1]) || !cmp.Equal(resp.Embeddings[0], resp.Embeddings[2]) {
		t.Errorf("vectors must be equal exactly for equal inputs")
	}
	if n, in := len(s.EmbedRequests()), s.EmbedInputCount(); n != 1 || in != 3 {
		t.Errorf("EmbedRequests %d, EmbedInputCount %d; want 1, 3", n, in)
	}
}

func norm(v []float32) float64 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return math.Sqrt(s)
}

func TestEmbedSingleStringEmptyAndDimensions(t *testing.T) {
	s := New(t)
	c := s.Client()
	ctx := testContext(t)

	resp, err := c.Embed(ctx, &api.EmbedRequest{Model: "e", Input: "one text", Dimensions: 4})
	if err != nil || len(resp.Embeddings) != 1 || len(resp.Embeddings[0]) != 4 || math.Abs(norm(resp.Embeddings[0])-1) > 1e-5 {
		t.Errorf("dimensions 4: %+v, %v", resp, err)
	}
	resp, err = c.Embed(ctx, &api.EmbedRequest{Model: "e", Input: ""})
	if err != nil || resp.Embeddings == nil || len(resp.Embeddings) != 0 {
		t.Errorf("empty input: %+v, %v; want an empty list", resp, err)
	}
	_, err = c.Embed(ctx, &api.EmbedRequest{Model: "e", Input: []any{"ok", 3}})
	if se, ok := err.(api.StatusError); !ok || se.StatusCode != 400 || se.ErrorMessage != "invalid input type" {
		t.Errorf("invalid input: %#v", err)
	}
	legacy, err := c.Embeddings(ctx, &api.EmbeddingRequest{Model: "e", Prompt: "one text"})
	if err != nil || len(legacy.Embedding) != DefaultEmbedDim {
		t.Errorf("legacy embeddings: %+v, %v", legacy, err)
	}
	if got := s.EmbedRequests(); len(got) != 4 || got[0].Embed.Dimensions != 4 || got[3].Embeddings == nil {
		t.Errorf("recorded %+v", got)
	}
	if n := s.EmbedInputCount(); n != 1+0+1+1 {
		t.Errorf("EmbedInputCount = %d, want 3", n)
	}
}

func TestEmbedder(t *testing.T) {
	s := New(t, WithEmbedder(func(model, input string) []float32 {
		if input == "cat" || input == "kitten" {
			return []float32{3, 4, 0}
		}
		return []float32{0, 0, 2}
	}))
	resp, err := s.Client().Embed(testContext(t), &api.EmbedRequest{Model: "e", Input: []string{"cat", "kitten", "car"}})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float32{{0.6, 0.8, 0}, {0.6, 0.8, 0}, {0, 0, 1}}
	if diff := cmp.Diff(want, resp.Embeddings); diff != "" {
		t.Errorf("embeddings (-want +got):\n%s", diff)
	}
}

func TestEmbedScriptedReplies(t *testing.T) {
	s := New(t)
	s.EnqueueEmbed(
		Error(503, "server busy, please try again.  maximum pending requests exceeded"),
		Default().WithDelay(20*time.Millisecond),
		Cut(""),
		Hang(),
	)
	c := s.Client()
	ctx := testContext(t)
	req := &api.EmbedRequest{Model: "e", Input: "x"}

	_, err := c.Embed(ctx, req)
	var se api.StatusError
	if !errors.As(err, &se) || se.StatusCode != 503 {
		t.Errorf("503: %#v", err)
	}
	if resp, err := c.Embed(ctx, req); err != nil || len(resp.Embeddings) != 1 {
		t.Errorf("delayed default: %+v, %v", resp, err)
	}
	_, err = c.Embed(ctx, req)
	t.Logf("Embed on an aborted connection: %v", err)
	if err == nil {
		t.Errorf("cut: want a transport error")
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := c.Embed(short, req); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("hang: %v, want context.DeadlineExceeded", err)
	}
}

func TestConcurrentUse(t *testing.T) {
	s := New(t, WithModels("chat", "embed"))
	c := s.Client()
	ctx := testContext(t)
	const n = 16
	for range n {
		s.Enqueue(Text("scripted"))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := range n {
		wg.Go(func() {
			if _, err := chat(ctx, c, userChat("chat", fmt.Sprint("q", i))); err != nil {
				errs <- err
			}
		})
		wg.Go(func() {
			if _, err := c.Embed(ctx, &api.EmbedRequest{Model: "embed", Input: []string{"a", "b"}}); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := len(s.Requests()); got != 2*n {
		t.Errorf("recorded %d requests, want %d", got, 2*n)
	}
	if got := s.EmbedInputCount(); got != 2*n {
		t.Errorf("EmbedInputCount = %d, want %d", got, 2*n)
	}
	if g, _ := s.Pending(); g != 0 {
		t.Errorf("%d scripted replies left", g)
	}
}

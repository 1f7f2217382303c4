package gemini_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/chorus-go/chorus/internal/geminitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/gemini"
)

// TestEmbedBatches: 250 texts go in batchEmbedContents requests of at
// most 100 (the API's limit), the vectors come back in order.
func TestEmbedBatches(t *testing.T) {
	s := newServer(t)
	e := newEmbedder(t, s)
	texts := make([]string, 250)
	for i := range texts {
		texts[i] = fmt.Sprintf("text %d", i)
	}
	vs, err := e.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 250 {
		t.Fatalf("%d vectors", len(vs))
	}
	for i, v := range vs {
		if !slices.Equal(v, geminitest.Embed(texts[i], geminitest.DefaultEmbeddingDim)) {
			t.Fatalf("vector %d is not text %d's", i, i)
		}
	}
	var sizes []int
	for _, r := range s.Requests() {
		if r.Path != "/v1beta/models/gemini-embedding-001:batchEmbedContents" {
			t.Errorf("path %s", r.Path)
		}
		sizes = append(sizes, len(r.Embeds))
	}
	if !slices.Equal(sizes, []int{100, 100, 50}) {
		t.Errorf("batch sizes %v, want [100 100 50]", sizes)
	}
	if e.Dimensions() != geminitest.DefaultEmbeddingDim {
		t.Errorf("dimensions %d", e.Dimensions())
	}
}

// TestEmbedOptions: dimensions and task type reach every request; a
// smaller batch size splits more.
func TestEmbedOptions(t *testing.T) {
	s := newServer(t)
	e := newEmbedder(t, s, gemini.WithDimensions(8), gemini.WithTaskType("RETRIEVAL_DOCUMENT"), gemini.WithBatchSize(2))
	if e.Dimensions() != 8 {
		t.Errorf("dimensions before a call: %d", e.Dimensions())
	}
	vs, err := e.Embed(context.Background(), []string{"a", "b", "c"})
	if err != nil || len(vs) != 3 || len(vs[0]) != 8 {
		t.Fatalf("vectors %v, err %v", vs, err)
	}
	reqs := s.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests", len(reqs))
	}
	for _, r := range reqs {
		for _, er := range r.Embeds {
			if er.OutputDimensionality != 8 || er.TaskType != "RETRIEVAL_DOCUMENT" {
				t.Errorf("request %+v", er)
			}
		}
	}
}

// TestEmbedMismatchAndEmpty: a wrong number of vectors is an error; an
// empty text is refused before sending; an empty input sends nothing.
func TestEmbedMismatchAndEmpty(t *testing.T) {
	s := newServer(t)
	e := newEmbedder(t, s)
	s.EnqueueEmbed(geminitest.Embeddings([]float32{1}))
	if _, err := e.Embed(context.Background(), []string{"a", "b"}); err == nil {
		t.Error("a missing vector went unnoticed")
	}
	if _, err := e.Embed(context.Background(), []string{"a", ""}); !errors.Is(err, llm.ErrInvalidRequest) {
		t.Errorf("empty text: %v", err)
	}
	if vs, err := e.Embed(context.Background(), nil); vs != nil || err != nil {
		t.Errorf("empty input: %v, %v", vs, err)
	}
	if n := len(s.Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

package retrieval_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm/llmtest"
	"github.com/chorus-go/chorus/retrieval"
	"github.com/chorus-go/chorus/retrieval/storetest"
)

func TestMemoryStoreContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) retrieval.Store {
		return retrieval.MustMemoryStore(retrieval.MemoryDimensions(storetest.Dim))
	})
}

func TestMemoryStoreContractLearnsDimension(t *testing.T) {
	storetest.Run(t, func(t *testing.T) retrieval.Store {
		s := retrieval.MustMemoryStore()
		// fix the dimension as the contract expects, then empty the store
		v := make([]float32, storetest.Dim)
		v[0] = 1
		if err := s.Upsert(context.Background(), []retrieval.Document{{ID: "x", Text: "x", Embedding: v}}); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(context.Background(), "x"); err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestMemoryStoreFirstBatchFixesDimension(t *testing.T) {
	s := retrieval.MustMemoryStore()
	ctx := context.Background()
	err := s.Upsert(ctx, []retrieval.Document{
		{ID: "a", Text: "a", Embedding: []float32{1, 0}},
		{ID: "b", Text: "b", Embedding: []float32{1, 0, 0}},
	})
	if !errors.Is(err, retrieval.ErrDimension) || s.Len() != 0 || s.Dimensions() != 0 {
		t.Fatalf("mixed dimensions: err %v, len %d, dim %d", err, s.Len(), s.Dimensions())
	}
	if err := s.Upsert(ctx, []retrieval.Document{{ID: "a", Text: "a", Embedding: []float32{1, 0, 0}}}); err != nil {
		t.Fatal(err)
	}
	if s.Dimensions() != 3 || s.Len() != 1 {
		t.Fatalf("dim %d len %d", s.Dimensions(), s.Len())
	}
}

func TestMemoryStoreMetrics(t *testing.T) {
	ctx := context.Background()
	docs := []retrieval.Document{
		{ID: "near", Text: "near", Embedding: []float32{1, 0}},
		{ID: "long", Text: "long", Embedding: []float32{3, 1}},
		{ID: "far", Text: "far", Embedding: []float32{-1, 0}},
		{ID: "zero", Text: "zero", Embedding: []float32{0, 0}},
	}
	q := []float32{1, 0}
	cases := []struct {
		metric retrieval.Metric
		order  []string
		scores []float64
	}{
		{retrieval.L2, []string{"near", "zero", "far", "long"}, []float64{1, 0.5, 1.0 / 3, 1 / (1 + math.Sqrt(5))}},
		{retrieval.InnerProduct, []string{"long", "near", "zero", "far"}, []float64{3, 1, 0, -1}},
	}
	for _, tc := range cases {
		s := retrieval.MustMemoryStore(retrieval.MemoryMetric(tc.metric))
		if err := s.Upsert(ctx, docs); err != nil {
			t.Fatalf("%v: %v", tc.metric, err)
		}
		got, err := s.Search(ctx, q, 4)
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range got {
			if d.ID != tc.order[i] || math.Abs(d.Score-tc.scores[i]) > 1e-6 {
				t.Fatalf("%v: result %d is %s %v, want %s %v", tc.metric, i, d.ID, d.Score, tc.order[i], tc.scores[i])
			}
		}
	}
	// cosine refuses the zero vector
	err := retrieval.MustMemoryStore().Upsert(ctx, docs)
	if !errors.Is(err, retrieval.ErrInvalidVector) {
		t.Fatalf("cosine with a zero vector: %v", err)
	}
}

func TestMemoryStoreCancelledSearch(t *testing.T) {
	s := retrieval.MustMemoryStore()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Search(ctx, []float32{1}, 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

// TestConfigErrors: invalid arguments and options are constructor errors
// matching chain.ErrConfig; the Must forms and the combinators panic with
// them, and chain.Build turns the panics back into errors.
func TestConfigErrors(t *testing.T) {
	for name, f := range map[string]func() error{
		"dimensions": func() error { _, err := retrieval.NewMemoryStore(retrieval.MemoryDimensions(0)); return err },
		"metric": func() error {
			_, err := retrieval.NewMemoryStore(retrieval.MemoryMetric(retrieval.Metric(9)))
			return err
		},
		"overlap":     func() error { _, err := retrieval.NewRecursiveSplitter(10, 10); return err },
		"size":        func() error { _, err := retrieval.NewMarkdownSplitter(0, 0); return err },
		"nil counter": func() error { _, err := retrieval.NewRecursiveSplitter(10, 0, retrieval.CountWith(nil)); return err },
		"separators":  func() error { _, err := retrieval.NewMarkdownSplitter(10, 0, retrieval.Separators()); return err },
		"hash":        func() error { _, err := retrieval.NewHashEmbedder(0); return err },
		"must store": func() error {
			_, err := chain.Build(func() any { return retrieval.MustMemoryStore(retrieval.MemoryDimensions(-1)) })
			return err
		},
		"must hash": func() error { _, err := chain.Build(func() any { return retrieval.MustHashEmbedder(0) }); return err },
		"must split": func() error {
			_, err := chain.Build(func() any { return retrieval.MustRecursiveSplitter(0, 0) })
			return err
		},
		"must md": func() error {
			_, err := chain.Build(func() any { return retrieval.MustMarkdownSplitter(5, 9) })
			return err
		},
		"retriever": func() error {
			_, err := chain.Build(func() any { return retrieval.Retriever(retrieval.MustHashEmbedder(4), nil, 1) })
			return err
		},
		"k": func() error {
			_, err := chain.Build(func() any { return retrieval.Retriever(retrieval.MustHashEmbedder(4), retrieval.MustMemoryStore(), 0) })
			return err
		},
		"rag": func() error { _, err := chain.Build(func() any { return retrieval.RAG(nil, nil) }); return err },
		"rag prompt": func() error {
			r := retrieval.Retriever(retrieval.MustHashEmbedder(4), retrieval.MustMemoryStore(), 1)
			_, err := chain.Build(func() any { return retrieval.RAG(r, llmtest.NewModel("m"), retrieval.UserPrompt(nil)) })
			return err
		},
	} {
		if err := f(); !errors.Is(err, chain.ErrConfig) {
			t.Errorf("%s: err = %v, want one matching chain.ErrConfig", name, err)
		}
	}
}

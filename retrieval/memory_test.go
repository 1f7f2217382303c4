package retrieval_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/retrieval"
	"github.com/chorus-go/chorus/retrieval/storetest"
)

func TestMemoryStoreContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) retrieval.Store {
		return retrieval.NewMemoryStore(retrieval.MemoryDimensions(storetest.Dim))
	})
}

func TestMemoryStoreContractLearnsDimension(t *testing.T) {
	storetest.Run(t, func(t *testing.T) retrieval.Store {
		s := retrieval.NewMemoryStore()
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
	s := retrieval.NewMemoryStore()
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
		s := retrieval.NewMemoryStore(retrieval.MemoryMetric(tc.metric))
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
	err := retrieval.NewMemoryStore().Upsert(ctx, docs)
	if !errors.Is(err, retrieval.ErrInvalidVector) {
		t.Fatalf("cosine with a zero vector: %v", err)
	}
}

func TestMemoryStoreCancelledSearch(t *testing.T) {
	s := retrieval.NewMemoryStore()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Search(ctx, []float32{1}, 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

func TestMemoryOptionsPanic(t *testing.T) {
	for name, f := range map[string]func(){
		"dimensions": func() { retrieval.MemoryDimensions(0) },
		"metric":     func() { retrieval.MemoryMetric(retrieval.Metric(9)) },
		"splitter":   func() { retrieval.NewRecursiveSplitter(10, 10) },
		"size":       func() { retrieval.NewMarkdownSplitter(0, 0) },
		"hash":       func() { retrieval.NewHashEmbedder(0) },
		"retriever":  func() { retrieval.Retriever(retrieval.NewHashEmbedder(4), nil, 1) },
		"k":          func() { retrieval.Retriever(retrieval.NewHashEmbedder(4), retrieval.NewMemoryStore(), 0) },
		"rag":        func() { retrieval.RAG(nil, nil) },
	} {
		func() {
			defer func() {
				err, _ := recover().(error)
				if !errors.Is(err, chain.ErrConfig) {
					t.Errorf("%s: panic %v, want an error matching chain.ErrConfig", name, err)
				}
			}()
			f()
		}()
	}
}

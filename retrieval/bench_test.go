package retrieval_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/retrieval"
	"github.com/chorus-go/chorus/retrieval/storetest"
)

var benchSink []retrieval.Document

// memoryBenchStore returns a MemoryStore of n clustered vectors of
// dimension 384 and query vectors from the same clusters.
func memoryBenchStore(b *testing.B, n int) (*retrieval.MemoryStore, [][]float32) {
	vecs, cluster := storetest.ClusteredVectors(n+100, 384, 100, 0.8, 2024)
	docs := make([]retrieval.Document, n)
	for i := range docs {
		docs[i] = retrieval.Document{ID: fmt.Sprint(i), Text: "doc", Metadata: map[string]any{"cluster": cluster[i], "group": i % 7}, Embedding: vecs[i]}
	}
	s := retrieval.MustMemoryStore()
	if err := s.Upsert(context.Background(), docs); err != nil {
		b.Fatal(err)
	}
	return s, vecs[n:]
}

// BenchmarkMemorySearch is an exact top-10 search over 10,000 vectors of
// dimension 384.
func BenchmarkMemorySearch(b *testing.B) {
	s, queries := memoryBenchStore(b, 10_000)
	for _, tc := range []struct {
		name string
		opts []retrieval.SearchOption
	}{
		{"10k", nil},
		{"10k-filter-1in7", []retrieval.SearchOption{retrieval.Where(retrieval.Eq("group", 3))}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			ctx := context.Background()
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				res, err := s.Search(ctx, queries[i%len(queries)], 10, tc.opts...)
				if err != nil {
					b.Fatal(err)
				}
				benchSink = res
			}
		})
	}
}

// BenchmarkMemoryUpsert stores 1,000 vectors of dimension 384 per op.
func BenchmarkMemoryUpsert(b *testing.B) {
	vecs, _ := storetest.ClusteredVectors(1000, 384, 100, 0.8, 1)
	docs := make([]retrieval.Document, len(vecs))
	for i := range docs {
		docs[i] = retrieval.Document{ID: fmt.Sprint(i), Text: "doc", Metadata: map[string]any{"i": i}, Embedding: vecs[i]}
	}
	s := retrieval.MustMemoryStore()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := s.Upsert(context.Background(), docs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHashEmbedder embeds one sentence of 16 words.
func BenchmarkHashEmbedder(b *testing.B) {
	e := retrieval.MustHashEmbedder(384)
	text := "Chorus composes models into sequential, parallel, voting and routed chains with typed adapters between them"
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = e.EmbedText(text)
	}
}

// BenchmarkRecursiveSplitter splits about 100 KB of prose into chunks of
// 500 characters overlapping by 50.
func BenchmarkRecursiveSplitter(b *testing.B) {
	text := strings.Repeat(prose+"\n\n", 200)
	s := retrieval.MustRecursiveSplitter(500, 50)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = s.SplitText(text)
	}
}

package pgvector

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/chorus-go/chorus/retrieval"
)

// BenchmarkIngest loads benchSize() documents of dimension 384 into a new
// table with DeferIndex (COPY into a temporary table, then INSERT ...
// SELECT ... ON CONFLICT, 1000 per transaction) and reports documents per
// second. "indexed" loads 5,000 into a table whose HNSW index is kept up
// to date while loading, for comparison with "deferred-5k", the same
// without.
func BenchmarkIngest(b *testing.B) {
	pool := newPool(b, nil)
	n := benchSize()
	all, _ := benchDocs(n)
	for _, tc := range []struct {
		name string
		n    int
		opts []Option
	}{
		{fmt.Sprintf("deferred-%dk", n/1000), n, []Option{DeferIndex()}},
		{"deferred-5k", 5000, []Option{DeferIndex()}},
		{"indexed-5k", 5000, nil},
	} {
		b.Run(tc.name, func(b *testing.B) {
			docs := all[:tc.n]
			var elapsed time.Duration
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				table := uniqueName("chorus_bench")
				s, err := New(context.Background(), pool, table, benchDim, tc.opts...)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start := time.Now()
				if err := s.Upsert(context.Background(), docs); err != nil {
					b.Fatal(err)
				}
				elapsed += time.Since(start)
				b.StopTimer()
				if err := s.Drop(context.Background()); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(tc.n*b.N)/elapsed.Seconds(), "docs/s")
		})
	}
}

// BenchmarkCreateIndex builds the HNSW (m 16, ef_construction 64),
// metadata and full-text indexes of a table just loaded with benchSize()
// documents, with maintenance_work_mem at 1GB; one build per op.
func BenchmarkCreateIndex(b *testing.B) {
	pool := newPool(b, nil)
	docs, _ := benchDocs(benchSize())
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := New(context.Background(), pool, uniqueName("chorus_bench"), benchDim, DeferIndex())
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Upsert(context.Background(), docs); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := s.CreateIndex(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := s.Drop(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// BenchmarkSearch measures top-10 searches over benchSize() documents with
// the HNSW index, one query per op, and reports the median and 95th
// percentile latencies.
func BenchmarkSearch(b *testing.B) {
	f := loadFixture(b, benchSize())
	for _, tc := range []struct {
		name   string
		ef     int
		filter *retrieval.Filter
	}{
		{"ef40", 40, nil},
		{"ef100", 100, nil},
		{"ef40-filter-1in7", 40, ptr(retrieval.Eq("group", 3))},
	} {
		b.Run(tc.name, func(b *testing.B) {
			s := f.store(b, EFSearch(tc.ef))
			var opts []retrieval.SearchOption
			if tc.filter != nil {
				opts = append(opts, retrieval.Where(*tc.filter))
			}
			ctx := context.Background()
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				start := time.Now()
				res, err := s.Search(ctx, f.queries[i%len(f.queries)], benchK, opts...)
				lat = append(lat, time.Since(start))
				if err != nil || len(res) != benchK {
					b.Fatalf("%d results, %v", len(res), err)
				}
			}
			reportLatency(b, lat)
		})
	}
}

// BenchmarkHybridSearch measures hybrid searches (full text + vector, RRF)
// over benchSize() documents, one query per op.
func BenchmarkHybridSearch(b *testing.B) {
	f := loadFixture(b, benchSize())
	s := f.store(b)
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := i % len(f.queries)
		start := time.Now()
		res, err := s.HybridSearch(ctx, fmt.Sprintf("topic%d group%d", q%benchCentres, q%7), f.queries[q], benchK)
		lat = append(lat, time.Since(start))
		if err != nil || len(res) != benchK {
			b.Fatalf("%d results, %v", len(res), err)
		}
	}
	reportLatency(b, lat)
}

// BenchmarkRecall reports the HNSW index's recall@10 against exact search
// over benchSize() documents, averaged over 200 queries (one op runs them
// all).
func BenchmarkRecall(b *testing.B) {
	f := loadFixture(b, benchSize())
	for _, ef := range []int{40, 100, 200} {
		b.Run(fmt.Sprintf("ef%d", ef), func(b *testing.B) {
			s := f.store(b, EFSearch(ef))
			ctx := context.Background()
			var recall float64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				hits := 0
				for q, vec := range f.queries {
					res, err := s.Search(ctx, vec, benchK)
					if err != nil {
						b.Fatal(err)
					}
					for _, d := range res {
						if slices.Contains(f.exact[q], d.ID) {
							hits++
						}
					}
				}
				recall = float64(hits) / float64(benchK*len(f.queries))
			}
			b.ReportMetric(recall, "recall@10")
		})
	}
}

func reportLatency(b *testing.B, lat []time.Duration) {
	b.StopTimer()
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
}

func ptr[T any](v T) *T { return &v }

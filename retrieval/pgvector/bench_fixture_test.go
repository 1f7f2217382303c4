package pgvector

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/chorus-go/chorus/retrieval"
	"github.com/chorus-go/chorus/retrieval/storetest"
)

// Benchmark data: dimension 384 (a common sentence-embedding size), 100
// cluster centres plus noise, so that neighbours mean something.
const (
	benchDim      = 384
	benchCentres  = 100
	benchNoise    = 0.8
	benchQueries  = 200
	benchK        = 10
	benchSeed     = 2024
	benchLargeEnv = "CHORUS_BENCH_LARGE"
)

// benchSize is the number of documents of the benchmarks: 10,000, or
// 100,000 with CHORUS_BENCH_LARGE=1 (about two minutes more, most of it
// the HNSW build).
func benchSize() int {
	if os.Getenv(benchLargeEnv) == "1" {
		return 100_000
	}
	return 10_000
}

// benchDocs returns n documents and benchQueries query vectors drawn from
// the same clusters (the queries are not among the documents).
func benchDocs(n int) ([]retrieval.Document, [][]float32) {
	vecs, cluster := storetest.ClusteredVectors(n+benchQueries, benchDim, benchCentres, benchNoise, benchSeed)
	docs := make([]retrieval.Document, n)
	for i := range docs {
		docs[i] = retrieval.Document{
			ID:        docID(i),
			Text:      fmt.Sprintf("document %d about topic%d in group%d", i, cluster[i], i%7),
			Metadata:  map[string]any{"cluster": cluster[i], "group": i % 7},
			Embedding: vecs[i],
		}
	}
	return docs, vecs[n:]
}

// fixture is a loaded and indexed table shared by the search benchmarks.
type fixture struct {
	pool    *pgxpool.Pool
	table   string
	docs    []retrieval.Document
	queries [][]float32
	exact   [][]string // exact top-k IDs of each query
	ingest  time.Duration
	build   time.Duration
}

var (
	fixturesMu sync.Mutex
	fixtures   = map[int]*fixture{}
)

// loadFixture returns the fixture of n documents, building it the first
// time: ingest with DeferIndex, CreateIndex, ANALYZE, and the exact
// answers from a MemoryStore.
func loadFixture(b *testing.B, n int) *fixture {
	url := dbURL(b)
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	if f := fixtures[n]; f != nil {
		return f
	}
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	f := &fixture{pool: pool, table: uniqueName("chorus_bench")}
	fixtures[n] = f // closeFixtures cleans up even if the build fails
	f.docs, f.queries = benchDocs(n)
	s, err := New(ctx, pool, f.table, benchDim, DeferIndex())
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := s.Upsert(ctx, f.docs); err != nil {
		b.Fatal(err)
	}
	f.ingest = time.Since(start)
	start = time.Now()
	if err := s.CreateIndex(ctx); err != nil {
		b.Fatal(err)
	}
	f.build = time.Since(start)
	if _, err := pool.Exec(ctx, "ANALYZE "+s.Table()); err != nil {
		b.Fatal(err)
	}
	mem := retrieval.MustMemoryStore(retrieval.MemoryDimensions(benchDim))
	if err := mem.Upsert(ctx, f.docs); err != nil {
		b.Fatal(err)
	}
	for _, q := range f.queries {
		res, err := mem.Search(ctx, q, benchK)
		if err != nil {
			b.Fatal(err)
		}
		ids := make([]string, len(res))
		for i, d := range res {
			ids[i] = d.ID
		}
		f.exact = append(f.exact, ids)
	}
	b.Logf("fixture: %d documents ingested in %v, indexes built in %v", n, f.ingest.Round(time.Millisecond), f.build.Round(time.Millisecond))
	return f
}

// store opens the fixture's table with options (no DDL: DeferIndex).
func (f *fixture) store(b *testing.B, opts ...Option) *Store {
	s, err := New(context.Background(), f.pool, f.table, benchDim, append(opts, DeferIndex())...)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// closeFixtures drops the fixtures' tables and closes their pools.
func closeFixtures() {
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	for n, f := range fixtures {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		if _, err := f.pool.Exec(ctx, "DROP TABLE IF EXISTS "+quote(f.table)); err != nil {
			fmt.Fprintf(os.Stderr, "drop %s: %v\n", f.table, err)
		}
		cancel()
		f.pool.Close()
		delete(fixtures, n)
	}
}

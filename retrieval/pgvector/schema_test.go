package pgvector

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/chorus-go/chorus/retrieval"
	"github.com/chorus-go/chorus/retrieval/storetest"
)

// clusteredDocs returns n documents of dimension dim around 10 centres,
// with their cluster in metadata.
func clusteredDocs(n, dim int, seed uint64) []retrieval.Document {
	vecs, cluster := storetest.ClusteredVectors(n, dim, 10, 0.6, seed)
	docs := make([]retrieval.Document, n)
	for i := range docs {
		docs[i] = retrieval.Document{
			ID:        docID(i),
			Text:      fmt.Sprintf("document %d of cluster %d", i, cluster[i]),
			Metadata:  map[string]any{"cluster": cluster[i], "i": i},
			Embedding: vecs[i],
		}
	}
	return docs
}

// indexes returns the names of the table's indexes.
func indexes(t *testing.T, pool *pgxpool.Pool, s *Store) []string {
	t.Helper()
	rows, err := pool.Query(testCtx(t), "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = $1::regclass ORDER BY 1", s.Table())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		out = append(out, name)
	}
	return out
}

func TestNewIsIdempotent(t *testing.T) {
	pool := newPool(t, nil)
	table := uniqueName("chorus_test")
	dropAtEnd(t, pool, table)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() { defer wg.Done(); _, errs[i] = New(testCtx(t), pool, table, 8) }()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("concurrent New %d: %v", i, err)
		}
	}
	s, err := New(testCtx(t), pool, table, 8)
	if err != nil {
		t.Fatal(err)
	}
	if s.IndexKind() != HNSW || s.PgvectorVersion() == "" {
		t.Fatalf("index %v on pgvector %q", s.IndexKind(), s.PgvectorVersion())
	}
	got := indexes(t, pool, s)
	want := []string{table + "_embedding_hnsw_cos", table + "_metadata_gin", table + "_pkey", table + "_tsv_gin"}
	if !slices.Equal(got, want) {
		t.Fatalf("indexes %v, want %v", got, want)
	}
	if _, err := New(testCtx(t), pool, table, 9); !errors.Is(err, ErrSchema) {
		t.Fatalf("another dimension: %v, want ErrSchema", err)
	}
	if _, err := New(testCtx(t), pool, table, 8, ColumnNames(Columns{Text: "body"})); !errors.Is(err, ErrSchema) {
		t.Fatalf("another column name: %v, want ErrSchema", err)
	}
	if _, err := New(testCtx(t), pool, table, 8, TextSearch("no_such_config")); !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("unknown text search configuration: %v", err)
	}
	if _, err := New(testCtx(t), pool, table, 8, Schema("no_such_schema")); !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("unknown schema: %v", err)
	}
	// a second metric on the same table gets its own index
	if _, err := New(testCtx(t), pool, table, 8, Metric(retrieval.L2)); err != nil {
		t.Fatal(err)
	}
	if got := indexes(t, pool, s); !slices.Contains(got, table+"_embedding_hnsw_l2") {
		t.Fatalf("no L2 index: %v", got)
	}
}

func TestDeferIndexThenCreateIndex(t *testing.T) {
	pool := newPool(t, nil)
	s := newTestStore(t, pool, 16, DeferIndex(), BatchSize(500), MaintenanceWorkMem("77MB"))
	if got := indexes(t, pool, s); len(got) != 1 {
		t.Fatalf("DeferIndex built indexes: %v", got)
	}
	docs := clusteredDocs(2000, 16, 1)
	if err := s.Upsert(testCtx(t), docs); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second call finds everything built
		if err := s.CreateIndex(testCtx(t)); err != nil {
			t.Fatal(err)
		}
	}
	if got := indexes(t, pool, s); len(got) != 4 || !slices.Contains(got, s.IndexName()) {
		t.Fatalf("indexes after CreateIndex: %v", got)
	}
	// maintenance_work_mem was raised for the build's transaction only
	var mem string
	if err := pool.QueryRow(testCtx(t), "SHOW maintenance_work_mem").Scan(&mem); err != nil || mem == "77MB" {
		t.Fatalf("maintenance_work_mem leaked out of the transaction: %q %v", mem, err)
	}
}

func TestIndexIsUsed(t *testing.T) {
	pool := newPool(t, nil)
	for _, tc := range []struct {
		metric retrieval.Metric
		index  IndexKind
	}{
		{retrieval.Cosine, HNSW}, {retrieval.L2, HNSW}, {retrieval.InnerProduct, HNSW}, {retrieval.Cosine, IVFFlat},
	} {
		t.Run(fmt.Sprintf("%v %v", tc.index, tc.metric), func(t *testing.T) {
			t.Parallel()
			s := newTestStore(t, pool, 16, Metric(tc.metric), Index(tc.index), DeferIndex(), Probes(4))
			docs := clusteredDocs(3000, 16, 2)
			if err := s.Upsert(testCtx(t), docs); err != nil {
				t.Fatal(err)
			}
			if err := s.CreateIndex(testCtx(t)); err != nil {
				t.Fatal(err)
			}
			exec(t, pool, "ANALYZE "+s.Table())
			plan, err := s.Explain(testCtx(t), docs[7].Embedding, 10)
			if err != nil {
				t.Fatal(err)
			}
			if want := "Index Scan using " + s.IndexName(); !contains(plan, want) {
				t.Fatalf("plan does not use the vector index %s:\n%s", s.IndexName(), plan)
			}
			got, err := s.Search(testCtx(t), docs[7].Embedding, 10)
			if err != nil || len(got) != 10 || got[0].ID != docs[7].ID {
				t.Fatalf("search: %d results, first %v, %v", len(got), got, err)
			}
		})
	}
}

// With a filter, an HNSW scan with a small ef_search finds few matching
// rows among its candidates; iterative scans keep going until k rows
// match. (A very selective filter is served by the GIN index instead.)
func TestFilteredSearchReturnsK(t *testing.T) {
	pool := newPool(t, nil)
	s := newTestStore(t, pool, 16, EFSearch(10), DeferIndex())
	docs := clusteredDocs(3000, 16, 3)
	for i := range docs {
		docs[i].Metadata["rare"] = i%50 == 0
		docs[i].Metadata["odd"] = i%2 == 1
	}
	if err := s.Upsert(testCtx(t), docs); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateIndex(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	exec(t, pool, "ANALYZE "+s.Table())
	for _, tc := range []struct {
		key       string
		wantIndex string
	}{{"odd", s.IndexName()}, {"rare", ""}} {
		filter := retrieval.Where(retrieval.Eq(tc.key, true))
		plan, err := s.Explain(testCtx(t), docs[0].Embedding, 10, filter)
		if err != nil {
			t.Fatal(err)
		}
		if tc.wantIndex != "" && !contains(plan, "Index Scan using "+tc.wantIndex) {
			t.Fatalf("%s: plan does not use the vector index:\n%s", tc.key, plan)
		}
		t.Logf("plan with filter %q:\n%s", tc.key, plan)
		got, err := s.Search(testCtx(t), docs[0].Embedding, 10, filter)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 10 {
			t.Fatalf("%s: filtered search returned %d rows, want 10", tc.key, len(got))
		}
		for _, d := range got {
			if d.Metadata[tc.key] != true {
				t.Fatalf("%s does not match the filter", d.ID)
			}
		}
	}
	// the same search without the iterative scan comes back short
	q, err := s.vectorQuery(docs[0].Embedding, 10, retrieval.NewSearchOptions(retrieval.Where(retrieval.Eq("odd", true))))
	if err != nil {
		t.Fatal(err)
	}
	q.settings = slices.DeleteFunc(q.settings, func(set [2]string) bool { return set[0] == "hnsw.iterative_scan" })
	c, err := s.acquire(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Release()
	b := &pgx.Batch{}
	q.queue(b, q.sql)
	var n int
	err = runBatch(testCtx(t), c, b, q.skip(), func(rows pgx.Rows) error {
		for rows.Next() {
			n++
		}
		return nil
	})
	if err != nil || n >= 10 {
		t.Fatalf("without iterative scan: %d rows (%v); the test no longer shows what iterative scans are for", n, err)
	}
	t.Logf("without iterative scan: %d rows of 10", n)
}

// Settings are SET LOCAL: in force for the search, gone after it.
func TestSettingsAreLocal(t *testing.T) {
	pool := newPool(t, func(c *pgxpool.Config) { c.MaxConns = 1 })
	s := newTestStore(t, pool, 8, EFSearch(123))
	q, err := s.vectorQuery(storetestVec(), 5, retrieval.NewSearchOptions(retrieval.Where(retrieval.Eq("a", 1))))
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.acquire(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	b := &pgx.Batch{}
	q.queueSettings(b)
	b.Queue("SELECT current_setting('hnsw.ef_search'), current_setting('hnsw.iterative_scan')")
	var ef, iter string
	err = runBatch(testCtx(t), c, b, q.skip(), func(rows pgx.Rows) error {
		rows.Next()
		return rows.Scan(&ef, &iter)
	})
	c.Release()
	if err != nil || ef != "123" || iter != "relaxed_order" {
		t.Fatalf("inside the search: ef_search %q, iterative_scan %q, %v", ef, iter, err)
	}
	if err := pool.QueryRow(testCtx(t), "SELECT current_setting('hnsw.ef_search'), current_setting('hnsw.iterative_scan')").Scan(&ef, &iter); err != nil {
		t.Fatal(err)
	}
	if ef != "40" || iter != "off" {
		t.Fatalf("after the search: ef_search %q, iterative_scan %q", ef, iter)
	}
}

func TestMetricsMatchMemoryStore(t *testing.T) {
	pool := newPool(t, nil)
	docs := clusteredDocs(300, 12, 4)
	for _, m := range []retrieval.Metric{retrieval.Cosine, retrieval.L2, retrieval.InnerProduct} {
		pg := newTestStore(t, pool, 12, Metric(m), Index(NoIndex))
		mem := retrieval.MustMemoryStore(retrieval.MemoryMetric(m))
		for _, s := range []retrieval.Store{pg, mem} {
			if err := s.Upsert(testCtx(t), docs); err != nil {
				t.Fatal(err)
			}
		}
		for _, q := range []int{0, 17, 123} {
			want, err := mem.Search(testCtx(t), docs[q].Embedding, 8)
			if err != nil {
				t.Fatal(err)
			}
			got, err := pg.Search(testCtx(t), docs[q].Embedding, 8)
			if err != nil {
				t.Fatal(err)
			}
			for i := range want {
				if got[i].ID != want[i].ID || abs(got[i].Score-want[i].Score) > 1e-4 {
					t.Fatalf("%v query %d result %d: %s %.6f, memory store %s %.6f", m, q, i, got[i].ID, got[i].Score, want[i].ID, want[i].Score)
				}
			}
		}
	}
}

func TestBatches(t *testing.T) {
	pool := newPool(t, nil)
	s := newTestStore(t, pool, 8, BatchSize(100))
	docs := clusteredDocs(350, 8, 5)
	if err := s.Upsert(testCtx(t), docs); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Count(testCtx(t)); err != nil || n != 350 {
		t.Fatalf("count %d, %v", n, err)
	}
	for i := range docs { // update all, in batches again
		docs[i].Text = "updated"
	}
	if err := s.Upsert(testCtx(t), docs); err != nil {
		t.Fatal(err)
	}
	var updated int
	if err := pool.QueryRow(testCtx(t), "SELECT count(*) FROM "+s.Table()+" WHERE content = 'updated'").Scan(&updated); err != nil || updated != 350 {
		t.Fatalf("updated %d, %v", updated, err)
	}
}

func TestDrop(t *testing.T) {
	pool := newPool(t, nil)
	s := newTestStore(t, pool, 8)
	if err := s.Drop(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Count(testCtx(t)); err == nil {
		t.Fatal("table still there")
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func storetestVec() []float32 {
	v := make([]float32, 8)
	v[0] = 1
	return v
}

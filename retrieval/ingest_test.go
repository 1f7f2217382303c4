package retrieval_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/retrieval"
	"github.com/chorus-go/chorus/retrieval/pgvector"
)

// ingestDocs are a Markdown guide long enough to be cut and a short note.
func ingestDocs() []retrieval.Document {
	var guide strings.Builder
	guide.WriteString("# Guide\n\n")
	for i := range 12 {
		fmt.Fprintf(&guide, "## Step %d\n\nStep %d of the guide explains how widgets are assembled, checked and packed for shipping to customers.\n\n", i, i)
	}
	return []retrieval.Document{
		{ID: "guide.md", Text: guide.String(), Metadata: map[string]any{"format": "markdown", "source": "guide.md"}},
		{ID: "note.txt", Text: "Invoices are due within thirty days.", Metadata: map[string]any{"format": "text", "source": "note.txt"}},
	}
}

// countingEmbedder counts Embed calls and texts.
type countingEmbedder struct {
	*retrieval.HashEmbedder
	calls, texts int
}

func (c *countingEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	c.calls++
	c.texts += len(texts)
	return c.HashEmbedder.Embed(ctx, texts)
}

// testIngest ingests twice into s and checks the counts, the chunking,
// idempotency and that the chunks are found.
func testIngest(t *testing.T, s retrieval.Store) {
	ctx := context.Background()
	e := &countingEmbedder{HashEmbedder: retrieval.MustHashEmbedder(64)}
	stats, err := retrieval.IngestDocuments(ctx, s, e, ingestDocs(), retrieval.WithBatchSize(2))
	if err != nil {
		t.Fatal(err)
	}
	if stats.Documents != 2 || stats.Chunks < 3 || stats.Batches != (stats.Chunks+1)/2 || e.texts != stats.Chunks || e.calls != stats.Batches {
		t.Fatalf("stats %+v, embedder %d calls %d texts", stats, e.calls, e.texts)
	}
	again, err := retrieval.IngestDocuments(ctx, s, e, ingestDocs(), retrieval.WithBatchSize(2))
	if err != nil || again != stats {
		t.Fatalf("second ingest %+v, %v; want %+v", again, err, stats)
	}
	q, _ := e.Embed(ctx, []string{"x"})
	all, err := s.Search(ctx, q[0], 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != stats.Chunks {
		t.Fatalf("store holds %d chunks after two ingests, want %d", len(all), stats.Chunks)
	}
	var headings bool
	for _, d := range all {
		if d.Metadata["parent_id"] == "guide.md" && d.Metadata["headings"] != nil {
			headings = true
		}
		if d.Metadata["source"] == nil {
			t.Errorf("chunk %s lost its source", d.ID)
		}
	}
	if !headings {
		t.Error("Markdown chunks carry no headings: the Markdown splitter was not used")
	}
	found, err := retrieval.Retriever(e, s, 1).Run(ctx, "Invoices are due within thirty days.")
	if err != nil || len(found) != 1 || found[0].ID != "note.txt#0" {
		t.Errorf("retrieved %v, %v", found, err)
	}
}

func TestIngestDocumentsMemory(t *testing.T) {
	testIngest(t, retrieval.MustMemoryStore())
}

func TestIngestDocumentsPgvector(t *testing.T) {
	url := os.Getenv("CHORUS_TEST_DATABASE_URL")
	if url == "" {
		t.Skip("set CHORUS_TEST_DATABASE_URL or run make test (it starts PostgreSQL + pgvector)")
	}
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	table := fmt.Sprintf("ingest_test_%d", os.Getpid())
	s, err := pgvector.New(ctx, pool, table, 64)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _, _ = pool.Exec(ctx, "DROP TABLE IF EXISTS "+table) }()
	testIngest(t, s)
}

func TestIngestDocumentsErrors(t *testing.T) {
	ctx := context.Background()
	e, s := retrieval.MustHashEmbedder(16), retrieval.MustMemoryStore()
	for name, call := range map[string]func() error{
		"nil store":    func() error { _, err := retrieval.IngestDocuments(ctx, nil, e, nil); return err },
		"nil embedder": func() error { _, err := retrieval.IngestDocuments(ctx, s, nil, nil); return err },
		"nil splitter": func() error {
			_, err := retrieval.IngestDocuments(ctx, s, e, nil, retrieval.WithSplitter(nil))
			return err
		},
		"batch size": func() error {
			_, err := retrieval.IngestDocuments(ctx, s, e, nil, retrieval.WithBatchSize(0))
			return err
		},
	} {
		if err := call(); !errors.Is(err, chain.ErrConfig) || !strings.Contains(err.Error(), "IngestDocuments") {
			t.Errorf("%s: %v", name, err)
		}
	}
	docs := []retrieval.Document{{ID: "a", Text: "fine"}, {ID: "b", Text: "  "}}
	_, err := retrieval.IngestDocuments(ctx, s, e, docs)
	var de *retrieval.DocumentError
	if !errors.As(err, &de) || de.Index != 1 || de.ID != "b" || !errors.Is(err, retrieval.ErrEmptyText) {
		t.Errorf("blank document: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := retrieval.IngestDocuments(cctx, s, e, docs[:1]); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	stats, err := retrieval.IngestDocuments(ctx, s, e, docs[:1], retrieval.NoSplit())
	if err != nil || stats.Chunks != 1 {
		t.Errorf("NoSplit: %+v %v", stats, err)
	}
	if got, _ := s.Search(ctx, mustEmbed(t, e, "fine"), 5); len(got) != 1 || got[0].ID != "a" {
		t.Errorf("NoSplit stored %v", got)
	}
}

func mustEmbed(t *testing.T, e *retrieval.HashEmbedder, text string) []float32 {
	t.Helper()
	v, err := e.Embed(context.Background(), []string{text})
	if err != nil {
		t.Fatal(err)
	}
	return v[0]
}

// Store documents in one call: split (Markdown at its headings), embed in
// batches, upsert. Ingesting again replaces the same chunks.
func ExampleIngestDocuments() {
	ctx := context.Background()
	store := retrieval.MustMemoryStore()
	embedder := retrieval.MustHashEmbedder(64)
	docs := []retrieval.Document{
		{ID: "faq.md", Text: "# FAQ\n\n## Shipping\n\nOrders ship the same day.\n\n## Returns\n\nReturns are free.", Metadata: map[string]any{"format": "markdown"}},
	}
	stats, err := retrieval.IngestDocuments(ctx, store, embedder, docs)
	fmt.Printf("%+v %v\n", stats, err)
	stats, err = retrieval.IngestDocuments(ctx, store, embedder, docs)
	fmt.Printf("%+v %v\n", stats, err)
	// Output:
	// {Documents:1 Chunks:2 Batches:1} <nil>
	// {Documents:1 Chunks:2 Batches:1} <nil>
}

package main

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/retrieval"
	"github.com/chorus-go/chorus/retrieval/pgvector"
)

// Metadata keys of the indexed chunks.
const (
	metaSource = "source" // the document's name
	metaType   = "type"   // its type
	metaKind   = "kind"   // "text" (what OCR read) or "fields" (what was extracted)
	metaHash   = "sha256" // the SHA-256 of the file analysed, for resuming
)

// index is the vector store the documents go into, and the embedder
// that puts them there.
type index struct {
	embedder llm.Embedder
	store    retrieval.Store
	ingest   chain.Chain[[]retrieval.Document, int]
	name     string
	close    func()
	// indexed, for a store that outlives the run (pgvector), returns the
	// documents already in it: source -> content hash.
	indexed func(ctx context.Context) (map[string]string, error)
	// forget removes a source's chunks from a lasting store, before a
	// changed file is indexed again (its new text may have fewer chunks).
	forget func(ctx context.Context, source string) error
}

// openIndex opens the store: PostgreSQL with pgvector when
// cfg.DatabaseURL is set (a table per vector length, since a column has
// one), the in-memory store otherwise.
func openIndex(ctx context.Context, cfg Config, e llm.Embedder) (*index, error) {
	idx := &index{embedder: e, close: func() {}}
	if cfg.DatabaseURL == "" {
		idx.store, idx.name = retrieval.MustMemoryStore(), "memory"
	} else {
		dim := e.Dimensions()
		if dim == 0 {
			return nil, fmt.Errorf("index: the embedder does not say its vectors' length")
		}
		pool, err := pgxpool.New(ctx, cfg.DatabaseURL)
		if err != nil {
			return nil, fmt.Errorf("index: DATABASE_URL: %w", err)
		}
		table := cfg.Table
		if table == "" {
			table = fmt.Sprintf("docanalysis_%d", dim)
		}
		s, err := pgvector.New(ctx, pool, table, dim)
		if err != nil {
			pool.Close()
			return nil, fmt.Errorf("index: %w", err)
		}
		idx.store, idx.close = s, pool.Close
		idx.indexed = func(ctx context.Context) (map[string]string, error) { return indexedSources(ctx, pool, table) }
		idx.forget = func(ctx context.Context, source string) error {
			q := fmt.Sprintf("DELETE FROM %s WHERE metadata @> jsonb_build_object('%s', $1::text)", pgx.Identifier{table}.Sanitize(), metaSource)
			if _, err := pool.Exec(ctx, q, source); err != nil {
				return fmt.Errorf("index: removing %s: %w", source, err)
			}
			return nil
		}
		idx.name = "pgvector " + databaseName(cfg.DatabaseURL) + "/" + table
	}
	idx.ingest = chain.Named("index", retrieval.Ingest(e, idx.store, retrieval.MustRecursiveSplitter(400, 40)))
	return idx, nil
}

// indexedSources lists the documents of the table that carry a content
// hash: source -> hash. A document's chunks are written by one upsert, in
// one transaction per batch of the store's BatchSize (far more than a
// document's chunks), so a source listed is indexed whole.
func indexedSources(ctx context.Context, pool *pgxpool.Pool, table string) (map[string]string, error) {
	q := fmt.Sprintf("SELECT DISTINCT metadata->>'%s', metadata->>'%s' FROM %s WHERE metadata ? '%s'", metaSource, metaHash, pgx.Identifier{table}.Sanitize(), metaHash)
	rows, err := pool.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("index: listing indexed documents: %w", err)
	}
	out := map[string]string{}
	for rows.Next() {
		var src, h string
		if err := rows.Scan(&src, &h); err != nil {
			rows.Close()
			return nil, fmt.Errorf("index: listing indexed documents: %w", err)
		}
		out[src] = h
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("index: listing indexed documents: %w", err)
	}
	return out, nil
}

// databaseName names a database by host and name, without credentials.
func databaseName(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.Host != "" {
		return u.Host + u.Path
	}
	for _, kv := range strings.Fields(dsn) {
		if v, ok := strings.CutPrefix(kv, "dbname="); ok {
			return v
		}
	}
	return "postgres"
}

// indexDocs makes the documents to index from an analysis: the text as
// read, and the extracted fields stated as sentences.
func indexDocs(a Analysis) []retrieval.Document {
	md := func(kind string) map[string]any {
		m := map[string]any{metaSource: a.Name, metaType: string(a.Type), metaKind: kind}
		if a.hash != "" {
			m[metaHash] = a.hash
		}
		return m
	}
	docs := []retrieval.Document{{ID: a.Name, Text: a.Text, Metadata: md("text")}}
	if len(a.Fields.Pairs()) > 0 {
		docs = append(docs, retrieval.Document{ID: a.Name + "/fields", Text: a.Fields.Summary(a.Type), Metadata: md("fields")})
	}
	return docs
}

package retrieval

import (
	"context"
	"fmt"
	"strings"

	"github.com/chorus-go/chorus/llm"
)

// Default chunk size and overlap of IngestDocuments, in characters.
const (
	DefaultChunkSize    = 1000
	DefaultChunkOverlap = 100
)

// IngestOption configures IngestDocuments.
type IngestOption func(*ingestConfig)

type ingestConfig struct {
	splitter  Splitter
	split     bool
	batchSize int
	errs      []string
}

// WithSplitter sets the splitter of IngestDocuments (default: a
// MarkdownSplitter for documents whose "format" metadata is "markdown",
// as retrieval/loader sets it, a RecursiveSplitter for the others, both
// of DefaultChunkSize characters with DefaultChunkOverlap). A nil
// splitter is a configuration error; see NoSplit to store documents
// whole.
func WithSplitter(s Splitter) IngestOption {
	return func(c *ingestConfig) {
		if s == nil {
			c.errs = append(c.errs, "WithSplitter: nil splitter (use NoSplit to store documents whole)")
			return
		}
		c.splitter, c.split = s, true
	}
}

// NoSplit stores documents whole, as given.
func NoSplit() IngestOption { return func(c *ingestConfig) { c.splitter, c.split = nil, false } }

// WithBatchSize sets how many chunks are embedded and upserted at a time
// (default 128): memory holds one batch of vectors, and a failure leaves
// the batches before it stored.
func WithBatchSize(n int) IngestOption {
	return func(c *ingestConfig) {
		if n < 1 {
			c.errs = append(c.errs, fmt.Sprintf("WithBatchSize(%d): want at least 1", n))
		}
		c.batchSize = n
	}
}

// IngestStats counts what IngestDocuments did.
type IngestStats struct {
	Documents int // documents given
	Chunks    int // chunks embedded and upserted
	Batches   int // embedding and upsert rounds
}

// IngestDocuments stores docs for retrieval in one call, for programs that
// need no chain (Ingest is the same as a chain): it splits them (see
// WithSplitter), embeds the chunks without an embedding with e in batches
// (WithBatchSize) and upserts each batch into s. It returns the counts so
// far, also on error.
//
// It is idempotent by ID: chunk IDs are "<document ID>#<n>", so ingesting
// the same documents again replaces their chunks instead of adding
// copies. (When a document shrinks, its chunks past the new count stay in
// the store: delete them with Store.Delete, or give the new version a new
// ID.) Documents are checked before anything is embedded: an empty ID or
// a blank text is a *DocumentError naming the document. A nil store or
// embedder, or an invalid option, is an error matching chain.ErrConfig.
func IngestDocuments(ctx context.Context, s Store, e llm.Embedder, docs []Document, opts ...IngestOption) (IngestStats, error) {
	cfg := ingestConfig{split: true, batchSize: embedBatch}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	switch {
	case s == nil:
		cfg.errs = append(cfg.errs, "nil store")
	case e == nil:
		cfg.errs = append(cfg.errs, "nil embedder")
	}
	if len(cfg.errs) > 0 {
		return IngestStats{}, configError("IngestDocuments", "%s", strings.Join(cfg.errs, "; "))
	}
	stats := IngestStats{Documents: len(docs)}
	for i, d := range docs {
		if d.ID == "" {
			return stats, &DocumentError{Index: i, Err: ErrEmptyID}
		}
		if strings.TrimSpace(d.Text) == "" {
			return stats, &DocumentError{Index: i, ID: d.ID, Err: ErrEmptyText}
		}
	}
	chunks := docs
	if cfg.split {
		var err error
		if chunks, err = splitForIngest(cfg.splitter, docs); err != nil {
			return stats, err
		}
	}
	for start := 0; start < len(chunks); start += cfg.batchSize {
		if err := ctx.Err(); err != nil {
			return stats, err
		}
		batch, err := EmbedDocuments(ctx, e, chunks[start:min(start+cfg.batchSize, len(chunks))])
		if err != nil {
			return stats, err
		}
		if err := s.Upsert(ctx, batch); err != nil {
			return stats, fmt.Errorf("retrieval: ingest: upsert: %w", err)
		}
		stats.Chunks += len(batch)
		stats.Batches++
	}
	return stats, nil
}

// splitForIngest cuts docs with s, or with the default splitters.
func splitForIngest(s Splitter, docs []Document) ([]Document, error) {
	if s != nil {
		return SplitAll(s, docs), nil
	}
	text, err := NewRecursiveSplitter(DefaultChunkSize, DefaultChunkOverlap)
	if err != nil {
		return nil, err
	}
	md, err := NewMarkdownSplitter(DefaultChunkSize, DefaultChunkOverlap)
	if err != nil {
		return nil, err
	}
	var out []Document
	for _, d := range docs {
		if f, _ := d.Metadata["format"].(string); f == "markdown" {
			out = append(out, md.Split(d)...)
		} else {
			out = append(out, text.Split(d)...)
		}
	}
	return out, nil
}

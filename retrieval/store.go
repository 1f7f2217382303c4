package retrieval

import "context"

// Store is a vector store: it keeps documents with their embeddings and
// finds the ones nearest to a query vector. Implementations must be safe
// for concurrent use and must pass the contract tests in
// retrieval/storetest.
type Store interface {
	// Upsert stores documents, replacing those with the same ID. Every
	// document is checked first (see Document.Validate): if one is
	// refused, the error (a *DocumentError) says which and nothing is
	// written. When a batch holds the same ID twice, the last one wins.
	Upsert(ctx context.Context, docs []Document) error
	// Delete removes the documents with these IDs; unknown IDs are
	// ignored.
	Delete(ctx context.Context, ids ...string) error
	// Search returns up to k documents nearest to vector, most similar
	// first, each with its Score set (see Metric). Options narrow the
	// search: MinScore, Where, WithEmbeddings.
	Search(ctx context.Context, vector []float32, k int, opts ...SearchOption) ([]Document, error)
}

// HybridSearcher is a store that can also search by keywords and fuse the
// two rankings (see FuseRRF). The documents' Score is then the fused
// score, not a similarity.
type HybridSearcher interface {
	Store
	// HybridSearch returns up to k documents ranked by both their
	// similarity to vector and how well their text matches the query
	// text. Options are those of Search; MinScore applies to the vector
	// side's similarity.
	HybridSearch(ctx context.Context, text string, vector []float32, k int, opts ...SearchOption) ([]Document, error)
}

// SearchOption narrows a search.
type SearchOption func(*SearchOptions)

// SearchOptions is what the options of a search set. Store
// implementations read it through NewSearchOptions.
type SearchOptions struct {
	// HasMinScore says MinScore applies.
	HasMinScore bool
	// MinScore is the lowest score returned.
	MinScore float64
	// Filter, when not nil, is the condition on metadata (not yet
	// normalized).
	Filter *Filter
	// WithEmbeddings asks for the documents' embeddings in the results.
	WithEmbeddings bool
}

// NewSearchOptions applies opts in order.
func NewSearchOptions(opts ...SearchOption) SearchOptions {
	var o SearchOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	return o
}

// MinScore keeps only documents with a score of at least min (see Metric
// for what scores mean). The k nearest documents are found first, then
// those below min are dropped, so a search may return fewer than k.
func MinScore(min float64) SearchOption {
	return func(o *SearchOptions) { o.HasMinScore, o.MinScore = true, min }
}

// Where keeps only documents whose metadata matches f. Several Where
// options combine with And.
func Where(f Filter) SearchOption {
	return func(o *SearchOptions) {
		if o.Filter == nil {
			o.Filter = &f
			return
		}
		both := And(*o.Filter, f)
		o.Filter = &both
	}
}

// WithEmbeddings asks for each document's embedding in the results (left
// out by default: queries rarely need them and they are large).
func WithEmbeddings() SearchOption {
	return func(o *SearchOptions) { o.WithEmbeddings = true }
}

// NormalizedFilter returns the normalized filter of o (see
// Filter.Normalize), or nil when there is none.
func (o SearchOptions) NormalizedFilter() (*Filter, error) {
	if o.Filter == nil {
		return nil, nil
	}
	f, err := o.Filter.Normalize()
	if err != nil {
		return nil, err
	}
	return &f, nil
}

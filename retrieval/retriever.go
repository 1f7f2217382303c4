package retrieval

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// KindStore is the kind of the search node in inference graphs.
const KindStore chain.Kind = "store"

// Retriever makes a chain from a query to the k documents of s nearest to
// it: the query is embedded by e, then searched with opts. It is
// chain.Then(embed, search), named "retrieve". A blank query is
// ErrEmptyQuery. It panics (with an error matching chain.ErrConfig) on a
// nil embedder or store or k < 1.
func Retriever(e llm.Embedder, s Store, k int, opts ...SearchOption) chain.Chain[string, []Document] {
	checkRetriever("Retriever", e, s, k)
	search := &searchStage{store: s, k: k, opts: opts}
	return chain.Named("retrieve", chain.Then[string, []float32, []Document](embedQuery{e}, search))
}

// HybridRetriever makes a chain from a query to the k documents of s that
// best match it by both meaning and keywords (see HybridSearcher): the
// query goes to the keyword search as it is and to the vector search
// embedded by e. It is chain.Then(chain.Join(identity, embed), search),
// named "retrieve".
func HybridRetriever(e llm.Embedder, s HybridSearcher, k int, opts ...SearchOption) chain.Chain[string, []Document] {
	checkRetriever("HybridRetriever", e, s, k)
	search := &hybridStage{store: s, k: k, opts: opts}
	return chain.Named("retrieve", chain.Then(chain.Join[string, string, []float32](chain.Identity[string](), embedQuery{e}), chain.Chain[chain.Pair[string, []float32], []Document](search)))
}

func checkRetriever(fn string, e llm.Embedder, s Store, k int) {
	switch {
	case e == nil:
		configPanic(fn, "nil embedder")
	case s == nil:
		configPanic(fn, "nil store")
	case k < 1:
		configPanic(fn, "k must be at least 1, got %d", k)
	}
}

// embedQuery embeds one query.
type embedQuery struct{ e llm.Embedder }

func (q embedQuery) Run(ctx context.Context, query string) ([]float32, error) {
	if strings.TrimSpace(query) == "" {
		return nil, ErrEmptyQuery
	}
	vs, err := llm.Embed(ctx, q.e, []string{query})
	if err != nil {
		return nil, fmt.Errorf("retrieval: embed query: %w", err)
	}
	if len(vs) != 1 {
		return nil, fmt.Errorf("retrieval: embed query: embedder returned %d vectors for 1 text", len(vs))
	}
	return vs[0], nil
}

func (q embedQuery) Describe() chain.Node {
	n := chain.Describe(q.e)
	n.Detail = "embed query"
	return n
}

// searchStage searches a store with a query vector.
type searchStage struct {
	store Store
	k     int
	opts  []SearchOption
}

func (s *searchStage) Run(ctx context.Context, v []float32) ([]Document, error) {
	return s.store.Search(ctx, v, s.k, s.opts...)
}

func (s *searchStage) Describe() chain.Node {
	return chain.Node{Kind: KindStore, Name: "search", Detail: fmt.Sprintf("top %d, %T", s.k, s.store)}
}

// hybridStage searches a store with a query and its vector.
type hybridStage struct {
	store HybridSearcher
	k     int
	opts  []SearchOption
}

func (s *hybridStage) Run(ctx context.Context, q chain.Pair[string, []float32]) ([]Document, error) {
	return s.store.HybridSearch(ctx, q.First, q.Second, s.k, s.opts...)
}

func (s *hybridStage) Describe() chain.Node {
	return chain.Node{Kind: KindStore, Name: "hybrid search", Detail: fmt.Sprintf("top %d, %T", s.k, s.store)}
}

// embedBatch is how many texts EmbedDocuments sends per Embed call.
const embedBatch = 128

// EmbedDocuments returns a copy of docs in which every document without an
// embedding has one, computed by e in batches of up to 128 texts. Docs
// itself is not changed.
func EmbedDocuments(ctx context.Context, e llm.Embedder, docs []Document) ([]Document, error) {
	if e == nil {
		return nil, errors.New("retrieval: EmbedDocuments: nil embedder")
	}
	out := append([]Document(nil), docs...)
	var todo []int
	for i, d := range out {
		if len(d.Embedding) == 0 {
			todo = append(todo, i)
		}
	}
	for start := 0; start < len(todo); start += embedBatch {
		idx := todo[start:min(start+embedBatch, len(todo))]
		texts := make([]string, len(idx))
		for j, i := range idx {
			texts[j] = out[i].Text
		}
		vs, err := llm.Embed(ctx, e, texts)
		if err != nil {
			return nil, fmt.Errorf("retrieval: embed documents: %w", err)
		}
		if len(vs) != len(texts) {
			return nil, fmt.Errorf("retrieval: embed documents: embedder returned %d vectors for %d texts", len(vs), len(texts))
		}
		for j, i := range idx {
			out[i].Embedding = vs[j]
		}
	}
	return out, nil
}

// Ingest makes a chain that stores documents: it cuts them with splitter
// (nil stores them whole), embeds those without an embedding with e, and
// upserts them into s. It returns the number of documents stored. It is
// chain.Then3(split, embed, upsert), named "ingest".
func Ingest(e llm.Embedder, s Store, splitter Splitter) chain.Chain[[]Document, int] {
	checkRetriever("Ingest", e, s, 1)
	split := chain.Named("split", chain.Pure(func(docs []Document) []Document {
		if splitter == nil {
			return docs
		}
		return SplitAll(splitter, docs)
	}))
	embed := chain.Named("embed", chain.Fn(func(ctx context.Context, docs []Document) ([]Document, error) {
		return EmbedDocuments(ctx, e, docs)
	}))
	upsert := chain.Named("upsert", chain.Fn(func(ctx context.Context, docs []Document) (int, error) {
		if err := s.Upsert(ctx, docs); err != nil {
			return 0, err
		}
		return len(docs), nil
	}))
	return chain.Named("ingest", chain.Then3(split, embed, upsert))
}

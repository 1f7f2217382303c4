package main

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"math"
	"path"
	"strings"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/retrieval"
)

// documents are the shop's pages the assistant can search.
//
//go:embed testdata/*.md
var documents embed.FS

// SearchArgs are the search tool's arguments.
type SearchArgs struct {
	Query string `json:"query" jsonschema_description:"Keywords to look for in the shop's documents, such as 'Kettle Pro price' or 'shipping cost'."`
}

// Passage is one search result.
type Passage struct {
	Source string  `json:"source"`
	Text   string  `json:"text"`
	Score  float64 `json:"score"`
}

// library searches the bundled documents: retrieval's in-memory store,
// filled once with the documents cut at their headings and embedded by
// the hashing embedder (no model needed).
type library struct {
	find chain.Chain[string, []retrieval.Document]
	docs int
}

// embedDim is the length of the hashing embedder's vectors.
const embedDim = 512

// newLibrary loads and indexes the documents.
func newLibrary(ctx context.Context) (*library, error) {
	var docs []retrieval.Document
	err := fs.WalkDir(documents, "testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := documents.ReadFile(p)
		if err != nil {
			return err
		}
		docs = append(docs, retrieval.Document{ID: strings.TrimSuffix(path.Base(p), ".md"), Text: string(b)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	embedder := retrieval.MustHashEmbedder(embedDim)
	store := retrieval.MustMemoryStore()
	n, err := retrieval.Ingest(embedder, store, retrieval.MustMarkdownSplitter(400, 0)).Run(ctx, docs)
	if err != nil {
		return nil, fmt.Errorf("indexing the documents: %w", err)
	}
	return &library{find: retrieval.Retriever(embedder, store, 3, retrieval.MinScore(0.05)), docs: n}, nil
}

// search is the search tool's function.
func (l *library) search(ctx context.Context, args SearchArgs) ([]Passage, error) {
	found, err := l.find.Run(ctx, args.Query)
	if err != nil {
		return nil, err
	}
	out := make([]Passage, 0, len(found))
	for _, d := range found {
		source, _ := d.Metadata[retrieval.MetaParentID].(string)
		if source == "" {
			source = d.ID
		}
		out = append(out, Passage{Source: source, Text: d.Text, Score: math.Round(d.Score*100) / 100})
	}
	return out, nil
}

package retrieval_test

import (
	"context"
	"fmt"

	"github.com/chorus-go/chorus/retrieval"
)

// The in-memory store with the hashing embedder: no model server, no
// database. Documents are split, embedded and stored by the Ingest chain,
// then found by a Retriever chain, with and without a metadata filter.
func Example() {
	ctx := context.Background()
	embedder := retrieval.MustHashEmbedder(256)
	store := retrieval.MustMemoryStore()

	docs := []retrieval.Document{
		{ID: "vote", Text: "Vote asks several models and keeps the majority answer.", Metadata: map[string]any{"package": "chain"}},
		{ID: "retry", Text: "Retry runs a failed model again after a backoff.", Metadata: map[string]any{"package": "chain"}},
		{ID: "ocr", Text: "Tesseract reads the text of a scanned page.", Metadata: map[string]any{"package": "llm"}},
	}
	n, err := retrieval.Ingest(embedder, store, retrieval.MustRecursiveSplitter(200, 20)).Run(ctx, docs)
	fmt.Println("stored", n, err)

	find := retrieval.Retriever(embedder, store, 1)
	found, _ := find.Run(ctx, "which models keep the majority answer?")
	fmt.Printf("%s %.2f\n", found[0].ID, found[0].Score)

	onlyLLM := retrieval.Retriever(embedder, store, 1, retrieval.Where(retrieval.Eq("package", "llm")))
	found, _ = onlyLLM.Run(ctx, "which models keep the majority answer?")
	fmt.Println(found[0].ID, found[0].Metadata["parent_id"])
	// Output:
	// stored 3 <nil>
	// vote#0 0.54
	// ocr#0 ocr
}

// A MemoryStore used directly, with vectors of your own.
func ExampleMemoryStore() {
	ctx := context.Background()
	store := retrieval.MustMemoryStore()
	_ = store.Upsert(ctx, []retrieval.Document{
		{ID: "east", Text: "east", Embedding: []float32{1, 0}, Metadata: map[string]any{"year": 2024}},
		{ID: "north", Text: "north", Embedding: []float32{0, 1}, Metadata: map[string]any{"year": 2021}},
		{ID: "north-east", Text: "north-east", Embedding: []float32{1, 1}, Metadata: map[string]any{"year": 2023}},
	})
	res, _ := store.Search(ctx, []float32{1, 0.2}, 3)
	for _, d := range res {
		fmt.Printf("%s %.3f\n", d.ID, d.Score)
	}
	res, _ = store.Search(ctx, []float32{1, 0.2}, 3, retrieval.Where(retrieval.Lt("year", 2024)), retrieval.MinScore(0.5))
	fmt.Println(len(res), res[0].ID)
	// Output:
	// east 0.981
	// north-east 0.832
	// north 0.196
	// 1 north-east
}

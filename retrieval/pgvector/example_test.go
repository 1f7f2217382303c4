package pgvector_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/chorus-go/chorus/retrieval"
	"github.com/chorus-go/chorus/retrieval/pgvector"
)

// A bulk load into PostgreSQL: the table is created without indexes, the
// documents are loaded, then the indexes are built; searches filter on
// metadata and a hybrid search adds keywords.
func Example() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()

	embedder := retrieval.MustHashEmbedder(384) // or any llm.Embedder
	store, err := pgvector.New(ctx, pool, "documents", embedder.Dimensions(), pgvector.DeferIndex())
	if err != nil {
		log.Fatal(err)
	}
	docs := []retrieval.Document{
		{ID: "a", Text: "Invoices list what is owed.", Metadata: map[string]any{"kind": "invoice", "year": 2024}},
		{ID: "b", Text: "Receipts prove what was paid.", Metadata: map[string]any{"kind": "receipt", "year": 2023}},
	}
	docs, err = retrieval.EmbedDocuments(ctx, embedder, docs)
	if err != nil {
		log.Fatal(err)
	}
	if err := store.Upsert(ctx, docs); err != nil {
		log.Fatal(err)
	}
	if err := store.CreateIndex(ctx); err != nil {
		log.Fatal(err)
	}

	q := embedder.EmbedText("what was paid")
	found, err := store.Search(ctx, q, 5, retrieval.Where(retrieval.Gte("year", 2023)), retrieval.MinScore(0.1))
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range found {
		fmt.Printf("%s %.2f %s\n", d.ID, d.Score, d.Text)
	}
	hybrid, err := store.HybridSearch(ctx, "receipts", q, 5)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(hybrid[0].ID)
}

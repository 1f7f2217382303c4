package pgvector

import (
	"errors"
	"slices"
	"testing"

	"github.com/chorus-go/chorus/retrieval"
)

func TestHybridSearch(t *testing.T) {
	pool := newPool(t, nil)
	s := newTestStore(t, pool, 64)
	e := retrieval.MustHashEmbedder(64)
	texts := map[string]string{
		"vote":   "A vote chain asks several models and keeps the majority answer.",
		"retry":  "Retry runs a failed chain again with exponential backoff.",
		"batch":  "Batching gathers concurrent calls into one call for throughput.",
		"ocr":    "Tesseract reads the text of scanned invoices and receipts.",
		"router": "A router picks the chain that handles each input.",
	}
	var docs []retrieval.Document
	for id, text := range texts {
		docs = append(docs, retrieval.Document{ID: id, Text: text, Metadata: map[string]any{"len": len(text)}})
	}
	docs, err := retrieval.EmbedDocuments(testCtx(t), e, docs)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Upsert(testCtx(t), docs); err != nil {
		t.Fatal(err)
	}
	// the vector is near "vote"; the keyword "receipt" matches "ocr"'s
	// "receipts" once both are stemmed
	q := e.EmbedText("several models majority answer")
	got, err := s.HybridSearch(testCtx(t), "receipt", q, 2)
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{got[0].ID, got[1].ID}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"ocr", "vote"}) {
		t.Fatalf("hybrid top 2: %v", ids)
	}
	want := 1.0/61 + 0 // rank 1 on one side
	if got[0].Score < want-1e-9 {
		t.Fatalf("fused score %v", got[0].Score)
	}
	// a document first on both sides wins
	got, err = s.HybridSearch(testCtx(t), "majority", q, 3)
	if err != nil || got[0].ID != "vote" || abs(got[0].Score-2.0/61) > 1e-9 {
		t.Fatalf("vote should be first on both sides: %+v %v", got, err)
	}
	// filters apply to both sides
	got, err = s.HybridSearch(testCtx(t), "receipt", q, 5, retrieval.Where(retrieval.Lt("len", 55)))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range got {
		if d.Metadata["len"].(float64) >= 55 {
			t.Fatalf("%s passed the filter with len %v", d.ID, d.Metadata["len"])
		}
	}
	// query text is data, whatever it holds; web search syntax is fine
	for _, text := range []string{`'); DROP TABLE x; --`, `"exponential backoff" -vote`, `router OR tesseract`, "", "!!!"} {
		if _, err := s.HybridSearch(testCtx(t), text, q, 3); err != nil {
			t.Fatalf("%q: %v", text, err)
		}
	}
	if n, err := s.Count(testCtx(t)); err != nil || n != 5 {
		t.Fatalf("count %d %v", n, err)
	}
	if _, err := s.HybridSearch(testCtx(t), "a\x00b", q, 3); !errors.Is(err, retrieval.ErrInvalidText) {
		t.Fatalf("NUL in the query: %v", err)
	}
	if _, err := s.HybridSearch(testCtx(t), "x", q, 0); !errors.Is(err, retrieval.ErrInvalidK) {
		t.Fatalf("k=0: %v", err)
	}
	// through the chain
	r := retrieval.HybridRetriever(e, s, 2, retrieval.WithEmbeddings())
	res, err := r.Run(testCtx(t), "tesseract receipts")
	if err != nil || res[0].ID != "ocr" || len(res[0].Embedding) != 64 {
		t.Fatalf("hybrid retriever: %+v %v", res, err)
	}

	plain := newTestStore(t, pool, 8, TextSearch(""))
	if _, err := plain.HybridSearch(testCtx(t), "x", storetestVec(), 1); !errors.Is(err, ErrNoTextSearch) {
		t.Fatalf("store without full text: %v", err)
	}
}

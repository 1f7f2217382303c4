package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chorus-go/chorus/retrieval"
)

func testEmbeddings(t *testing.T, s retrieval.Store) {
	upsert(t, s, doc(1, nil), doc(2, nil))
	got := search(t, s, vec(1), 2, retrieval.WithEmbeddings())
	for _, d := range got {
		var i int
		fmt.Sscanf(d.ID, "doc-%d", &i)
		if !slices.Equal(d.Embedding, vec(i)) {
			t.Fatalf("%s: embedding %v, want %v", d.ID, d.Embedding, vec(i))
		}
	}
}

func testResultsAreCopies(t *testing.T, s retrieval.Store) {
	in := doc(1, map[string]any{"m": map[string]any{"k": "v"}, "l": []any{"x"}})
	upsert(t, s, in)
	in.Metadata["m"].(map[string]any)["k"] = "changed by caller"
	in.Embedding[0] = 1000
	got := search(t, s, vec(1), 1, retrieval.WithEmbeddings())
	got[0].Metadata["m"].(map[string]any)["k"] = "changed by reader"
	got[0].Metadata["l"].([]any)[0] = "y"
	got[0].Embedding[1] = 1000
	again := search(t, s, vec(1), 1, retrieval.WithEmbeddings())
	if again[0].Metadata["m"].(map[string]any)["k"] != "v" || again[0].Metadata["l"].([]any)[0] != "x" {
		t.Fatalf("store shares metadata with its callers: %v", again[0].Metadata)
	}
	if !slices.Equal(again[0].Embedding, vec(1)) {
		t.Fatalf("store shares embeddings with its callers: %v", again[0].Embedding)
	}
}

func testUnicode(t *testing.T, s retrieval.Store) {
	texts := []string{"模型组合：顺序、并行和投票", "emoji 🎉 and accents: café, naïve", "кириллица", "العربية"}
	var docs []retrieval.Document
	for i, text := range texts {
		docs = append(docs, retrieval.Document{ID: "id-" + text, Text: text, Metadata: map[string]any{"text": text, text: i}, Embedding: vec(i)})
	}
	upsert(t, s, docs...)
	for i, text := range texts {
		got := search(t, s, vec(i), 1, retrieval.Where(retrieval.Eq("text", text)))
		if len(got) != 1 || got[0].Text != text || got[0].ID != "id-"+text || got[0].Metadata[text] != float64(i) {
			t.Fatalf("%q: %+v", text, got)
		}
	}
}

func testCancelled(t *testing.T, s retrieval.Store) {
	c, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Upsert(c, []retrieval.Document{doc(1, nil)}); err == nil {
		t.Fatal("Upsert with a cancelled context succeeded")
	}
	if _, err := s.Search(c, vec(1), 1); err == nil {
		t.Fatal("Search with a cancelled context succeeded")
	}
	if got := all(t, s); len(got) != 0 {
		t.Fatalf("cancelled upsert stored %v", ids(got))
	}
}

func testConcurrent(t *testing.T, s retrieval.Store) {
	const writers, perWriter = 4, 10
	c := ctx(t)
	var wg sync.WaitGroup
	errs := make(chan error, writers*perWriter*2)
	for w := range writers {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				n := w*perWriter + i
				d := doc(n, map[string]any{"writer": w})
				d.ID = fmt.Sprintf("w%d-%d", w, i)
				if err := s.Upsert(c, []retrieval.Document{d}); err != nil {
					errs <- err
				}
			}
		}()
		go func() {
			defer wg.Done()
			for i := range perWriter {
				res, err := s.Search(c, vec(i), 5, retrieval.Where(retrieval.Eq("writer", w)))
				if err != nil {
					errs <- err
					continue
				}
				for _, d := range res {
					if !strings.HasPrefix(d.ID, fmt.Sprintf("w%d-", w)) {
						errs <- fmt.Errorf("filter writer=%d returned %s", w, d.ID)
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := all(t, s); len(got) != writers*perWriter {
		t.Fatalf("%d documents after concurrent upserts, want %d", len(got), writers*perWriter)
	}
}

package storetest

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chorus-go/chorus/retrieval"
)

func testUpsertAndSearch(t *testing.T, s retrieval.Store) {
	var docs []retrieval.Document
	for i := range 6 {
		docs = append(docs, doc(i, map[string]any{"n": i, "name": fmt.Sprint("d", i), "list": []any{"x", i}}))
	}
	upsert(t, s, docs...)
	q := vec(3)
	got := search(t, s, q, 6)
	if len(got) != 6 {
		t.Fatalf("got %d documents, want 6", len(got))
	}
	if got[0].ID != "doc-03" || math.Abs(got[0].Score-1) > tolerance {
		t.Fatalf("nearest to doc-03's own vector is %s (score %v)", got[0].ID, got[0].Score)
	}
	// the exact order and scores
	want := slices.Clone(docs)
	for i := range want {
		want[i].Score = retrieval.Cosine.Similarity(q, want[i].Embedding)
	}
	slices.SortFunc(want, func(a, b retrieval.Document) int { return -cmpFloat(a.Score, b.Score) })
	for i := range want {
		if got[i].ID != want[i].ID || math.Abs(got[i].Score-want[i].Score) > tolerance {
			t.Fatalf("result %d: %s %.6f, want %s %.6f", i, got[i].ID, got[i].Score, want[i].ID, want[i].Score)
		}
		wantMD, err := retrieval.NormalizeMetadata(want[i].Metadata)
		if err != nil {
			t.Fatal(err)
		}
		if got[i].Text != want[i].Text {
			t.Fatalf("%s: text %q, want %q", got[i].ID, got[i].Text, want[i].Text)
		}
		if diff := cmp.Diff(wantMD, got[i].Metadata); diff != "" {
			t.Fatalf("%s: metadata (-want +got):\n%s", got[i].ID, diff)
		}
		if got[i].Embedding != nil {
			t.Fatalf("%s: embedding returned without WithEmbeddings", got[i].ID)
		}
	}
	// an empty upsert is fine
	upsert(t, s)
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func testUpdateByID(t *testing.T, s retrieval.Store) {
	upsert(t, s, doc(1, map[string]any{"v": 1}), doc(2, nil))
	changed := retrieval.Document{ID: "doc-01", Text: "new text", Metadata: map[string]any{"v": 2, "new": true}, Embedding: vec(5)}
	upsert(t, s, changed)
	got := search(t, s, vec(5), 10)
	if len(got) != 2 {
		t.Fatalf("%d documents after an update, want 2", len(got))
	}
	if got[0].ID != "doc-01" || got[0].Text != "new text" || math.Abs(got[0].Score-1) > tolerance {
		t.Fatalf("updated document: %+v", got[0])
	}
	if diff := cmp.Diff(map[string]any{"v": 2.0, "new": true}, got[0].Metadata); diff != "" {
		t.Fatalf("metadata not replaced (-want +got):\n%s", diff)
	}
}

func testDuplicateIDs(t *testing.T, s retrieval.Store) {
	first := doc(1, map[string]any{"version": "first"})
	last := first
	last.Text, last.Metadata, last.Embedding = "last text", map[string]any{"version": "last"}, vec(2)
	upsert(t, s, first, doc(3, nil), last)
	got := all(t, s)
	if len(got) != 2 {
		t.Fatalf("%v: want 2 documents", ids(got))
	}
	for _, d := range got {
		if d.ID == "doc-01" && (d.Text != "last text" || d.Metadata["version"] != "last") {
			t.Fatalf("the last copy of a duplicated ID should win: %+v", d)
		}
	}
	if g := search(t, s, vec(2), 1); g[0].ID != "doc-01" {
		t.Fatalf("the last copy's vector should be stored: nearest is %s", g[0].ID)
	}
}

func testDelete(t *testing.T, s retrieval.Store) {
	upsert(t, s, doc(1, nil), doc(2, nil), doc(3, nil))
	if err := s.Delete(ctx(t), "doc-02", "no-such-id"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if got := sortedIDs(all(t, s)); !slices.Equal(got, []string{"doc-01", "doc-03"}) {
		t.Fatalf("after delete: %v", got)
	}
	if err := s.Delete(ctx(t)); err != nil {
		t.Fatalf("Delete of nothing: %v", err)
	}
	if err := s.Delete(ctx(t), "doc-01", "doc-03"); err != nil {
		t.Fatal(err)
	}
	if got := all(t, s); len(got) != 0 {
		t.Fatalf("after deleting all: %v", ids(got))
	}
	upsert(t, s, doc(2, nil)) // a deleted ID can come back
	if got := ids(all(t, s)); !slices.Equal(got, []string{"doc-02"}) {
		t.Fatalf("re-inserted: %v", got)
	}
}

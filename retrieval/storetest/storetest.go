package storetest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chorus-go/chorus/retrieval"
)

// Dim is the dimension of the vectors the contract tests store.
const Dim = 8

// tolerance is how far a store's score may be from the exact one: stores
// compute in float32.
const tolerance = 1e-4

// Run runs the contract tests against stores made by newStore, which must
// return a new, empty store of dimension Dim with the cosine metric, and
// release it in t.Cleanup.
func Run(t *testing.T, newStore func(t *testing.T) retrieval.Store) {
	tests := []struct {
		name string
		run  func(t *testing.T, s retrieval.Store)
	}{
		{"UpsertAndSearch", testUpsertAndSearch},
		{"UpdateByID", testUpdateByID},
		{"DuplicateIDsInBatch", testDuplicateIDs},
		{"Delete", testDelete},
		{"K", testK},
		{"MinScore", testMinScore},
		{"Filters", testFilters},
		{"InvalidFilters", testInvalidFilters},
		{"DimensionMismatch", testDimensionMismatch},
		{"InvalidDocuments", testInvalidDocuments},
		{"SQLInjection", testInjection},
		{"Embeddings", testEmbeddings},
		{"ResultsAreCopies", testResultsAreCopies},
		{"Unicode", testUnicode},
		{"CancelledContext", testCancelled},
		{"Concurrent", testConcurrent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, newStore(t))
		})
	}
}

// ctx returns a context that ends with the test or after a minute.
func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(t.Context(), time.Minute)
	t.Cleanup(cancel)
	return c
}

// vec returns the i-th test vector: deterministic, not unit length, with
// no two alike.
func vec(i int) []float32 {
	r := rand.New(rand.NewPCG(uint64(i)+1, 42))
	v := make([]float32, Dim)
	for j := range v {
		v[j] = float32(r.NormFloat64())
	}
	v[i%Dim] += 3
	return v
}

// doc returns test document i with metadata md.
func doc(i int, md map[string]any) retrieval.Document {
	return retrieval.Document{ID: fmt.Sprintf("doc-%02d", i), Text: fmt.Sprintf("text of document %d", i), Metadata: md, Embedding: vec(i)}
}

func upsert(t *testing.T, s retrieval.Store, docs ...retrieval.Document) {
	t.Helper()
	if err := s.Upsert(ctx(t), docs); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
}

func search(t *testing.T, s retrieval.Store, q []float32, k int, opts ...retrieval.SearchOption) []retrieval.Document {
	t.Helper()
	got, err := s.Search(ctx(t), q, k, opts...)
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	checkOrdered(t, got)
	return got
}

// all returns every document of s (up to 1000), nearest to q first.
func all(t *testing.T, s retrieval.Store) []retrieval.Document {
	t.Helper()
	return search(t, s, vec(0), 1000)
}

func ids(docs []retrieval.Document) []string {
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = d.ID
	}
	return out
}

func sortedIDs(docs []retrieval.Document) []string {
	out := ids(docs)
	sort.Strings(out)
	return out
}

func checkOrdered(t *testing.T, docs []retrieval.Document) {
	t.Helper()
	for i := 1; i < len(docs); i++ {
		if docs[i].Score > docs[i-1].Score+1e-9 {
			t.Fatalf("results not ordered by score: %s %.6f before %s %.6f", docs[i-1].ID, docs[i-1].Score, docs[i].ID, docs[i].Score)
		}
	}
	for _, d := range docs {
		if d.Score < -1-tolerance || d.Score > 1+tolerance || math.IsNaN(d.Score) {
			t.Fatalf("%s: cosine score %v outside [-1, 1]", d.ID, d.Score)
		}
	}
}

func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: error %v, want one matching %v", what, err, target)
	}
}

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

func testK(t *testing.T, s retrieval.Store) {
	if got := search(t, s, vec(0), 5); len(got) != 0 {
		t.Fatalf("empty store returned %v", ids(got))
	}
	for i := range 10 {
		upsert(t, s, doc(i, nil))
	}
	for _, k := range []int{1, 3, 10, 50} {
		got := search(t, s, vec(4), k)
		if want := min(k, 10); len(got) != want {
			t.Fatalf("k=%d: %d results, want %d", k, len(got), want)
		}
		if got[0].ID != "doc-04" {
			t.Fatalf("k=%d: first result %s, want doc-04", k, got[0].ID)
		}
	}
	top3 := ids(search(t, s, vec(4), 3))
	top10 := ids(search(t, s, vec(4), 10))
	if !slices.Equal(top3, top10[:3]) {
		t.Fatalf("top 3 %v is not the start of top 10 %v", top3, top10)
	}
	for _, k := range []int{0, -1} {
		_, err := s.Search(ctx(t), vec(4), k)
		wantErr(t, fmt.Sprintf("k=%d", k), err, retrieval.ErrInvalidK)
	}
}

func testMinScore(t *testing.T, s retrieval.Store) {
	for i := range 8 {
		upsert(t, s, doc(i, nil))
	}
	q := vec(2)
	every := search(t, s, q, 8)
	for _, min := range []float64{-1, 0, 0.3, 0.9, 0.999} {
		got := search(t, s, q, 8, retrieval.MinScore(min))
		var want []string
		for _, d := range every {
			if d.Score >= min {
				want = append(want, d.ID)
			}
		}
		if !slices.Equal(ids(got), want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("MinScore(%v): %v, want %v", min, ids(got), want)
		}
		for _, d := range got {
			if d.Score < min {
				t.Fatalf("MinScore(%v) returned %s with score %v", min, d.ID, d.Score)
			}
		}
	}
	if got := search(t, s, q, 8, retrieval.MinScore(1.5)); len(got) != 0 {
		t.Fatalf("MinScore(1.5) returned %v", ids(got))
	}
	// the threshold cuts the k nearest, it does not look further
	if got := search(t, s, q, 2, retrieval.MinScore(-1)); len(got) != 2 {
		t.Fatalf("k=2 with a low threshold: %v", ids(got))
	}
}

// filterCorpus is the metadata of the filter tests.
func filterCorpus() []retrieval.Document {
	return []retrieval.Document{
		doc(0, map[string]any{"lang": "en", "year": 2020, "tags": []any{"a", "b"}, "nested": map[string]any{"x": 1, "y": map[string]any{"z": "deep"}}, "flag": true, "none": nil}),
		doc(1, map[string]any{"lang": "fr", "year": 2021.5, "tags": []string{"b"}, "nested": map[string]any{"x": 2}}),
		doc(2, map[string]any{"lang": "en", "year": "2022", "flag": false}),
		doc(3, map[string]any{"lang": "de", "year": int64(2023), "tags": []any{}}),
		doc(4, nil),
	}
}

func testFilters(t *testing.T, s retrieval.Store) {
	upsert(t, s, filterCorpus()...)
	r := retrieval.Eq
	cases := []struct {
		name   string
		filter retrieval.Filter
		want   []int
	}{
		{"eq string", r("lang", "en"), []int{0, 2}},
		{"eq number", r("year", 2020), []int{0}},
		{"eq float form", r("year", 2020.0), []int{0}},
		{"eq fraction", r("year", 2021.5), []int{1}},
		{"eq string is not number", r("year", "2020"), nil},
		{"eq number string", r("year", "2022"), []int{2}},
		{"eq true", r("flag", true), []int{0}},
		{"eq false", r("flag", false), []int{2}},
		{"eq nil matches null", r("none", nil), []int{0}},
		{"eq nil on missing key", r("lang2", nil), nil},
		{"eq missing", r("missing", "x"), nil},
		{"eq array value is not scalar", r("tags", "b"), nil},
		{"in", retrieval.In("lang", "fr", "de", "es"), []int{1, 3}},
		{"in mixed types", retrieval.In("year", 2020, "2022"), []int{0, 2}},
		{"in none", retrieval.In("lang"), nil},
		{"gt", retrieval.Gt("year", 2020), []int{1, 3}},
		{"gte", retrieval.Gte("year", 2020), []int{0, 1, 3}},
		{"lt", retrieval.Lt("year", 2021.5), []int{0}},
		{"lte", retrieval.Lte("year", 2021.5), []int{0, 1}},
		{"gt ignores non-numbers", retrieval.Gt("lang", -1e300), nil},
		{"contains array element", retrieval.Contains(map[string]any{"tags": []any{"a"}}), []int{0}},
		{"contains array shared", retrieval.Contains(map[string]any{"tags": []string{"b"}}), []int{0, 1}},
		{"contains empty array", retrieval.Contains(map[string]any{"tags": []any{}}), []int{0, 1, 3}},
		{"contains nested", retrieval.Contains(map[string]any{"nested": map[string]any{"y": map[string]any{"z": "deep"}}}), []int{0}},
		{"contains nested number", retrieval.Contains(map[string]any{"nested": map[string]any{"x": 2}}), []int{1}},
		{"contains scalar pair", retrieval.Contains(map[string]any{"lang": "en", "flag": false}), []int{2}},
		{"contains null", retrieval.Contains(map[string]any{"none": nil}), []int{0}},
		{"contains empty object", retrieval.Contains(map[string]any{}), []int{0, 1, 2, 3, 4}},
		{"contains scalar in array is false", retrieval.Contains(map[string]any{"tags": "a"}), nil},
		{"and", retrieval.And(r("lang", "en"), retrieval.Gte("year", 2020)), []int{0}},
		{"and empty", retrieval.And(), []int{0, 1, 2, 3, 4}},
		{"or", retrieval.Or(r("lang", "fr"), r("flag", false)), []int{1, 2}},
		{"or empty", retrieval.Or(), nil},
		{"nested and or", retrieval.And(retrieval.Or(r("lang", "en"), r("lang", "de")), retrieval.Or(retrieval.Gt("year", 2022), r("flag", true))), []int{0, 3}},
	}
	for _, tc := range cases {
		got := search(t, s, vec(0), 10, retrieval.Where(tc.filter))
		var want []string
		for _, i := range tc.want {
			want = append(want, fmt.Sprintf("doc-%02d", i))
		}
		if g := sortedIDs(got); !slices.Equal(g, want) && !(len(g) == 0 && len(want) == 0) {
			t.Errorf("%s: %s matched %v, want %v", tc.name, tc.filter, g, want)
		}
	}
	// two Where options combine with And
	got := search(t, s, vec(0), 10, retrieval.Where(r("lang", "en")), retrieval.Where(r("flag", false)))
	if g := ids(got); !slices.Equal(g, []string{"doc-02"}) {
		t.Errorf("two Where options: %v, want [doc-02]", g)
	}
	// filters with k: the k nearest among those that match
	got = search(t, s, vec(2), 1, retrieval.Where(r("lang", "en")))
	if g := ids(got); !slices.Equal(g, []string{"doc-02"}) {
		t.Errorf("k=1 with a filter: %v", g)
	}
}

func testInvalidFilters(t *testing.T, s retrieval.Store) {
	upsert(t, s, filterCorpus()...)
	cases := []struct {
		name   string
		filter retrieval.Filter
	}{
		{"eq map", retrieval.Eq("nested", map[string]any{"x": 1})},
		{"eq slice", retrieval.Eq("tags", []any{"a", "b"})},
		{"eq NaN", retrieval.Eq("year", math.NaN())},
		{"eq infinity", retrieval.Eq("year", math.Inf(1))},
		{"eq channel", retrieval.Eq("year", make(chan int))},
		{"eq func", retrieval.Eq("year", func() {})},
		{"eq empty key", retrieval.Eq("", "x")},
		{"eq NUL key", retrieval.Eq("a\x00b", "x")},
		{"eq NUL value", retrieval.Eq("lang", "e\x00n")},
		{"eq invalid UTF-8 value", retrieval.Eq("lang", "e\xffn")},
		{"eq invalid UTF-8 key", retrieval.Eq("la\xffng", "en")},
		{"in invalid UTF-8 value", retrieval.In("lang", "en", "\xc3")},
		{"contains invalid UTF-8", retrieval.Contains(map[string]any{"lang": []any{"\xffen"}})},
		{"in NaN", retrieval.In("year", 2020, math.NaN())},
		{"in nested", retrieval.In("tags", []any{"a"})},
		{"gt NaN", retrieval.Gt("year", math.NaN())},
		{"lt infinity", retrieval.Lt("year", math.Inf(-1))},
		{"gt not a number", retrieval.Filter{Op: retrieval.OpGt, Key: "year", Value: "2020"}},
		{"contains NaN", retrieval.Contains(map[string]any{"x": math.NaN()})},
		{"contains nested NaN", retrieval.Contains(map[string]any{"x": map[string]any{"y": []any{math.Inf(1)}}})},
		{"contains channel", retrieval.Contains(map[string]any{"x": make(chan int)})},
		{"contains nil object", retrieval.Filter{Op: retrieval.OpContains}},
		{"contains with key", retrieval.Filter{Op: retrieval.OpContains, Key: "k", Value: map[string]any{}}},
		{"unknown op", retrieval.Filter{Op: "regex", Key: "lang", Value: ".*"}},
		{"zero filter", retrieval.Filter{}},
		{"bad inside and", retrieval.And(retrieval.Eq("lang", "en"), retrieval.Gt("year", math.NaN()))},
		{"bad inside or", retrieval.Or(retrieval.Eq("lang", "en"), retrieval.Eq("x", []int{1}))},
	}
	for _, tc := range cases {
		got, err := s.Search(ctx(t), vec(0), 10, retrieval.Where(tc.filter))
		if !errors.Is(err, retrieval.ErrInvalidFilter) {
			t.Errorf("%s: got %v, %v; want an error matching ErrInvalidFilter", tc.name, ids(got), err)
		}
	}
}

func testDimensionMismatch(t *testing.T, s retrieval.Store) {
	upsert(t, s, doc(1, nil))
	bad := doc(2, nil)
	bad.Embedding = append(bad.Embedding, 1)
	err := s.Upsert(ctx(t), []retrieval.Document{doc(3, nil), bad})
	wantErr(t, "upsert of a longer vector", err, retrieval.ErrDimension)
	var de *retrieval.DocumentError
	if !errors.As(err, &de) || de.Index != 1 || de.ID != "doc-02" {
		t.Fatalf("error %v should be a *DocumentError for document 1 (doc-02)", err)
	}
	short := doc(4, nil)
	short.Embedding = short.Embedding[:Dim-1]
	wantErr(t, "upsert of a shorter vector", s.Upsert(ctx(t), []retrieval.Document{short}), retrieval.ErrDimension)
	if got := ids(all(t, s)); !slices.Equal(got, []string{"doc-01"}) {
		t.Fatalf("a refused batch changed the store: %v", got)
	}
	_, err = s.Search(ctx(t), make([]float32, Dim+1), 1)
	wantErr(t, "search with a longer vector", err, retrieval.ErrDimension)
	_, err = s.Search(ctx(t), nil, 1)
	wantErr(t, "search with no vector", err, retrieval.ErrDimension)
}

func testInvalidDocuments(t *testing.T, s retrieval.Store) {
	upsert(t, s, doc(1, nil))
	mod := func(f func(d *retrieval.Document)) retrieval.Document {
		d := doc(2, nil)
		f(&d)
		return d
	}
	cases := []struct {
		name string
		doc  retrieval.Document
		want error
	}{
		{"empty text", mod(func(d *retrieval.Document) { d.Text = "" }), retrieval.ErrEmptyText},
		{"blank text", mod(func(d *retrieval.Document) { d.Text = " \n\t " }), retrieval.ErrEmptyText},
		{"empty ID", mod(func(d *retrieval.Document) { d.ID = "" }), retrieval.ErrEmptyID},
		{"NUL in text", mod(func(d *retrieval.Document) { d.Text = "a\x00b" }), retrieval.ErrInvalidText},
		{"invalid UTF-8 text", mod(func(d *retrieval.Document) { d.Text = "a\xffb" }), retrieval.ErrInvalidText},
		{"NUL in ID", mod(func(d *retrieval.Document) { d.ID = "a\x00" }), retrieval.ErrInvalidText},
		{"no embedding", mod(func(d *retrieval.Document) { d.Embedding = nil }), retrieval.ErrDimension},
		{"NaN in embedding", mod(func(d *retrieval.Document) { d.Embedding[3] = float32(math.NaN()) }), retrieval.ErrInvalidVector},
		{"infinity in embedding", mod(func(d *retrieval.Document) { d.Embedding[0] = float32(math.Inf(-1)) }), retrieval.ErrInvalidVector},
		{"zero vector", mod(func(d *retrieval.Document) { d.Embedding = make([]float32, Dim) }), retrieval.ErrInvalidVector},
		{"NaN in metadata", mod(func(d *retrieval.Document) { d.Metadata = map[string]any{"x": math.NaN()} }), retrieval.ErrInvalidMetadata},
		{"channel in metadata", mod(func(d *retrieval.Document) { d.Metadata = map[string]any{"x": make(chan int)} }), retrieval.ErrInvalidMetadata},
		{"NUL in metadata", mod(func(d *retrieval.Document) { d.Metadata = map[string]any{"x": []any{"a\x00"}} }), retrieval.ErrInvalidMetadata},
		{"NUL in metadata key", mod(func(d *retrieval.Document) { d.Metadata = map[string]any{"k\x00": 1} }), retrieval.ErrInvalidMetadata},
		// never silently replaced with U+FFFD
		{"invalid UTF-8 in metadata", mod(func(d *retrieval.Document) { d.Metadata = map[string]any{"x": "caf\xe9"} }), retrieval.ErrInvalidMetadata},
		{"invalid UTF-8 in nested metadata", mod(func(d *retrieval.Document) { d.Metadata = map[string]any{"x": map[string]any{"y": []string{"\xff"}}} }), retrieval.ErrInvalidMetadata},
		{"invalid UTF-8 in metadata key", mod(func(d *retrieval.Document) { d.Metadata = map[string]any{"k\xc3": 1} }), retrieval.ErrInvalidMetadata},
	}
	for _, tc := range cases {
		err := s.Upsert(ctx(t), []retrieval.Document{doc(3, nil), tc.doc})
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: error %v, want one matching %v", tc.name, err, tc.want)
			continue
		}
		var de *retrieval.DocumentError
		if !errors.As(err, &de) || de.Index != 1 || !errors.Is(err, retrieval.ErrInvalidDocument) {
			t.Errorf("%s: error %v should be a *DocumentError for document 1 matching ErrInvalidDocument", tc.name, err)
		}
	}
	if got := ids(all(t, s)); !slices.Equal(got, []string{"doc-01"}) {
		t.Fatalf("refused batches changed the store: %v", got)
	}
	_, err := s.Search(ctx(t), make([]float32, Dim), 1)
	wantErr(t, "search with a zero vector", err, retrieval.ErrInvalidVector)
	q := vec(1)
	q[2] = float32(math.NaN())
	_, err = s.Search(ctx(t), q, 1)
	wantErr(t, "search with NaN", err, retrieval.ErrInvalidVector)
	// a literal backslash-u0000 is not a NUL character
	ok := mod(func(d *retrieval.Document) { d.Metadata = map[string]any{`\u0000`: `\u0000`} })
	upsert(t, s, ok)
	// a valid U+FFFD, and the six characters of its escape, are stored
	fffd := mod(func(d *retrieval.Document) { d.Metadata = map[string]any{"\ufffd": `\ufffd`, "r": "\ufffd"} })
	upsert(t, s, fffd)
	got := all(t, s)
	if i := slices.IndexFunc(got, func(d retrieval.Document) bool { return d.ID == fffd.ID }); i < 0 ||
		got[i].Metadata["\ufffd"] != `\ufffd` || got[i].Metadata["r"] != "\ufffd" {
		t.Errorf("U+FFFD in metadata did not round-trip: %v", got)
	}
}

// injections are strings crafted to break out of SQL quoting.
var injections = []string{
	`'; DROP TABLE documents; --`,
	`Robert'); DROP TABLE students;--`,
	`" OR 1=1 --`,
	`$1`,
	`$$; SELECT pg_sleep(10); $$`,
	`\'; SELECT 1; --`,
	`') OR ('1'='1`,
	`key"}]'::jsonb; DROP TABLE x; --`,
	`%s %d %v`,
}

func testInjection(t *testing.T, s retrieval.Store) {
	var docs []retrieval.Document
	for i, inj := range injections {
		docs = append(docs, retrieval.Document{
			ID:        inj,
			Text:      "text " + inj,
			Metadata:  map[string]any{inj: inj, "kind": inj, "n": i, "nested": map[string]any{inj: []any{inj}}},
			Embedding: vec(i),
		})
	}
	upsert(t, s, docs...)
	got := all(t, s)
	if len(got) != len(injections) {
		t.Fatalf("%d documents stored, want %d", len(got), len(injections))
	}
	byID := map[string]retrieval.Document{}
	for _, d := range got {
		byID[d.ID] = d
	}
	for _, inj := range injections {
		d, ok := byID[inj]
		if !ok || d.Text != "text "+inj || d.Metadata[inj] != inj || d.Metadata["kind"] != inj {
			t.Fatalf("document %q not stored literally: %+v", inj, d)
		}
		for _, f := range []retrieval.Filter{
			retrieval.Eq(inj, inj),
			retrieval.Eq("kind", inj),
			retrieval.In("kind", inj, "other "+inj),
			retrieval.Contains(map[string]any{"nested": map[string]any{inj: []any{inj}}}),
			retrieval.And(retrieval.Eq(inj, inj), retrieval.Gte("n", 0)),
		} {
			res := search(t, s, vec(0), 20, retrieval.Where(f))
			if g := ids(res); !slices.Equal(g, []string{inj}) {
				t.Fatalf("filter %s matched %q, want only %q", f, g, inj)
			}
		}
	}
	if err := s.Delete(ctx(t), injections[0], `' OR '1'='1`); err != nil {
		t.Fatal(err)
	}
	if got := all(t, s); len(got) != len(injections)-1 {
		t.Fatalf("after deleting one: %d documents, want %d", len(got), len(injections)-1)
	}
}

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

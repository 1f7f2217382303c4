package storetest

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/chorus-go/chorus/retrieval"
)

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

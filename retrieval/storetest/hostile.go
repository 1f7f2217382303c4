package storetest

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/chorus-go/chorus/retrieval"
)

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

package pgvector

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/retrieval"
)

// limitDoc is a valid document of dimension 8.
func limitDoc(i int) retrieval.Document {
	v := make([]float32, 8)
	v[i%8] = 1
	v[(i+1)%8] = float32(i)
	return retrieval.Document{ID: fmt.Sprintf("d%d", i), Text: fmt.Sprintf("document %d", i), Embedding: v}
}

// distinctWords returns about n bytes of words that are all different, the
// worst case for the size of a tsvector.
func distinctWords(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "w%x ", i*2654435761%(1<<40))
	}
	return b.String()[:n]
}

// A batch with one bad document among good ones writes nothing, and the
// error names the bad one (its index, and its ID shortened) and why.
func TestUpsertRefusesBadDocumentBeforeWriting(t *testing.T) {
	pool := newPool(t, nil)
	s := newTestStore(t, pool, 8)
	huge := strings.Repeat("x", 1<<20)
	cases := []struct {
		name string
		mod  func(d *retrieval.Document)
		want error
	}{
		{"1 MiB ID", func(d *retrieval.Document) { d.ID = huge }, retrieval.ErrTooLong},
		{"ID one byte too long", func(d *retrieval.Document) { d.ID = strings.Repeat("é", MaxIDBytes/2) + "x" }, retrieval.ErrTooLong},
		{"text over the limit", func(d *retrieval.Document) { d.Text = distinctWords(DefaultMaxTextBytes + 1) }, retrieval.ErrTooLong},
		{"6 MB text", func(d *retrieval.Document) { d.Text = strings.Repeat("word ", 6<<20/5) }, retrieval.ErrTooLong},
		{"NUL in ID", func(d *retrieval.Document) { d.ID = "a\x00b" }, retrieval.ErrInvalidText},
		{"invalid UTF-8 ID", func(d *retrieval.Document) { d.ID = "a\xffb" }, retrieval.ErrInvalidText},
		{"NUL in text", func(d *retrieval.Document) { d.Text = "a\x00b" }, retrieval.ErrInvalidText},
		{"invalid UTF-8 metadata value", func(d *retrieval.Document) { d.Metadata = map[string]any{"k": "caf\xe9"} }, retrieval.ErrInvalidMetadata},
		{"invalid UTF-8 metadata key", func(d *retrieval.Document) { d.Metadata = map[string]any{"caf\xe9": 1} }, retrieval.ErrInvalidMetadata},
		{"1 MiB ID with invalid UTF-8", func(d *retrieval.Document) { d.ID = huge + "\xff" }, retrieval.ErrInvalidText},
	}
	for _, tc := range cases {
		docs := []retrieval.Document{limitDoc(0), limitDoc(1), limitDoc(2), limitDoc(3)}
		tc.mod(&docs[2])
		err := s.Upsert(testCtx(t), docs)
		if !errors.Is(err, tc.want) || !errors.Is(err, retrieval.ErrInvalidDocument) {
			t.Errorf("%s: error %v, want one matching %v and ErrInvalidDocument", tc.name, err, tc.want)
			continue
		}
		var de *retrieval.DocumentError
		if !errors.As(err, &de) || de.Index != 2 || de.ID != docs[2].ID {
			t.Errorf("%s: error %v should be a *DocumentError for document 2", tc.name, err)
		}
		if msg := err.Error(); len(msg) > 300 || !strings.Contains(msg, "document 2") {
			t.Errorf("%s: message of %d bytes should be short and name document 2: %.300s", tc.name, len(msg), msg)
		}
		if n, err := s.Count(testCtx(t)); err != nil || n != 0 {
			t.Fatalf("%s: %d documents stored (%v), want none", tc.name, n, err)
		}
	}
}

// Documents at the limits are stored: the longest ID, and the longest text
// of distinct words, whose tsvector PostgreSQL still accepts.
func TestUpsertAcceptsDocumentsAtTheLimits(t *testing.T) {
	pool := newPool(t, nil)
	s := newTestStore(t, pool, 8)
	long := limitDoc(0)
	long.ID = strings.Repeat("i", MaxIDBytes)
	long.Text = distinctWords(DefaultMaxTextBytes)
	if err := s.Upsert(testCtx(t), []retrieval.Document{long, limitDoc(1)}); err != nil {
		t.Fatalf("documents at the limits: %v", err)
	}
	got, err := s.HybridSearch(testCtx(t), long.Text[:40], long.Embedding, 1)
	if err != nil || len(got) != 1 || got[0].ID != long.ID || len(got[0].Text) != DefaultMaxTextBytes {
		t.Fatalf("search after storing the longest document: %d results, %v", len(got), err)
	}
	// a smaller limit, by option
	small := newTestStore(t, pool, 8, MaxTextBytes(10))
	d := limitDoc(2)
	d.Text = "eleven byte"
	if err := small.Upsert(testCtx(t), []retrieval.Document{d}); !errors.Is(err, retrieval.ErrTooLong) {
		t.Fatalf("MaxTextBytes(10) and 11 bytes: %v", err)
	}
}

// Filters larger than the limits fail before anything is sent, with an
// error matching ErrInvalidFilter that stays short.
func TestFilterLimits(t *testing.T) {
	pool := newPool(t, nil)
	s := newTestStore(t, pool, 8, FilterLimits(100, 4096))
	if err := s.Upsert(testCtx(t), []retrieval.Document{limitDoc(0)}); err != nil {
		t.Fatal(err)
	}
	values := func(n int) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	ok := []retrieval.Filter{
		retrieval.In("k", values(100)...),
		retrieval.Eq("k", strings.Repeat("v", 4000)),
	}
	for _, f := range ok {
		if _, err := s.Search(testCtx(t), limitDoc(0).Embedding, 1, retrieval.Where(f)); err != nil {
			t.Errorf("filter within the limits: %v", err)
		}
	}
	bad := map[string]retrieval.Filter{
		"101 values":        retrieval.In("k", values(101)...),
		"200,001 values":    retrieval.In("k", values(200_001)...),
		"a 5 kB value":      retrieval.Eq("k", strings.Repeat("v", 5000)),
		"a 1 MiB key":       retrieval.Gt(strings.Repeat("k", 1<<20), 1),
		"many small parts":  retrieval.Or(slicesOf(60, retrieval.In("key", values(100)...))...),
		"a 5 kB Contains":   retrieval.Contains(map[string]any{"k": strings.Repeat("v", 5000)}),
		"values in And(Or)": retrieval.And(retrieval.Or(retrieval.Eq("a", strings.Repeat("v", 3000))), retrieval.Eq("b", strings.Repeat("v", 3000))),
	}
	for name, f := range bad {
		_, err := s.Search(testCtx(t), limitDoc(0).Embedding, 1, retrieval.Where(f))
		if !errors.Is(err, retrieval.ErrInvalidFilter) {
			t.Errorf("%s: %v, want an error matching ErrInvalidFilter", name, err)
			continue
		}
		if len(err.Error()) > 300 {
			t.Errorf("%s: message of %d bytes", name, len(err.Error()))
		}
		_, err = s.HybridSearch(testCtx(t), "document", limitDoc(0).Embedding, 1, retrieval.Where(f))
		if !errors.Is(err, retrieval.ErrInvalidFilter) {
			t.Errorf("%s: hybrid: %v, want an error matching ErrInvalidFilter", name, err)
		}
	}
	// the defaults
	d := newTestStore(t, pool, 8)
	if _, err := d.Search(testCtx(t), limitDoc(0).Embedding, 1, retrieval.Where(retrieval.In("k", values(DefaultMaxInValues)...))); err != nil {
		t.Errorf("DefaultMaxInValues values: %v", err)
	}
	if _, err := d.Search(testCtx(t), limitDoc(0).Embedding, 1, retrieval.Where(retrieval.In("k", values(DefaultMaxInValues+1)...))); !errors.Is(err, retrieval.ErrInvalidFilter) {
		t.Errorf("DefaultMaxInValues+1 values: %v", err)
	}
}

func slicesOf(n int, f retrieval.Filter) []retrieval.Filter {
	out := make([]retrieval.Filter, n)
	for i := range out {
		out[i] = f
	}
	return out
}

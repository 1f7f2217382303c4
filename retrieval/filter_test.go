package retrieval_test

import (
	"errors"
	"math"
	"testing"

	"github.com/chorus-go/chorus/retrieval"
)

func TestFilterNormalize(t *testing.T) {
	f, err := retrieval.And(retrieval.Eq("n", int8(3)), retrieval.In("s", "a", uint(2)), retrieval.Gt("x", 1),
		retrieval.Filter{Op: retrieval.OpLt, Key: "y", Value: int64(5)},
		retrieval.Contains(map[string]any{"m": struct{ A int }{7}})).Normalize()
	if err != nil {
		t.Fatal(err)
	}
	if f.Filters[0].Value != 3.0 || f.Filters[1].Values[1] != 2.0 || f.Filters[3].Value != 5.0 {
		t.Fatalf("numbers not in JSON form: %v", f)
	}
	if m := f.Filters[4].Value.(map[string]any)["m"].(map[string]any); m["A"] != 7.0 {
		t.Fatalf("struct not in JSON form: %v", m)
	}
	md, err := retrieval.NormalizeMetadata(map[string]any{"n": 3, "s": 2, "x": 1.5, "y": 4, "m": map[string]any{"A": 7, "B": 1}})
	if err != nil {
		t.Fatal(err)
	}
	if !f.Match(md) {
		t.Fatalf("%s does not match %v", f, md)
	}
}

func TestFilterErrorsAreClear(t *testing.T) {
	cases := map[string]retrieval.Filter{
		"use Contains for nested values": retrieval.Eq("k", map[string]any{}),
		"NaN":                            retrieval.Gt("k", math.NaN()),
		"unsupported value: NaN":         retrieval.Contains(map[string]any{"x": math.NaN()}),
		`unknown operator "like"`:        {Op: "like"},
		"empty key":                      retrieval.In("", 1),
		"nested deeper than":             deep(40),
	}
	for want, f := range cases {
		_, err := f.Normalize()
		if !errors.Is(err, retrieval.ErrInvalidFilter) || !contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one saying %q", f, err, want)
		}
	}
}

func deep(n int) retrieval.Filter {
	f := retrieval.Eq("k", 1)
	for range n {
		f = retrieval.And(f)
	}
	return f
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestFilterString(t *testing.T) {
	f := retrieval.And(retrieval.Eq("lang", "en"), retrieval.Or(retrieval.Gt("year", 2020), retrieval.In("k", 1)))
	want := `and(eq("lang", "en"), or(gt("year", 2020), in("k", []interface {}{1})))`
	if f.String() != want {
		t.Fatalf("got %s\nwant %s", f, want)
	}
}

func TestMetadataNUL(t *testing.T) {
	for _, md := range []map[string]any{{"a": "x\x00"}, {"a\x00": 1}, {"a": map[string]any{"b": []any{"\x00"}}}} {
		if _, err := retrieval.EncodeMetadata(md); !errors.Is(err, retrieval.ErrInvalidMetadata) {
			t.Errorf("%q: %v", md, err)
		}
	}
	for _, md := range []map[string]any{{`\u0000`: `\\u0000`}, {"a": `\\\\u0000`}} {
		if _, err := retrieval.EncodeMetadata(md); err != nil {
			t.Errorf("%q: %v", md, err)
		}
	}
}

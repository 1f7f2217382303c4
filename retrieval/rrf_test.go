package retrieval_test

import (
	"math"
	"slices"
	"testing"

	"github.com/chorus-go/chorus/retrieval"
)

func TestFuseRRF(t *testing.T) {
	d := func(ids ...string) []retrieval.Document {
		var out []retrieval.Document
		for _, id := range ids {
			out = append(out, retrieval.Document{ID: id, Text: "from first"})
		}
		return out
	}
	vector := d("a", "b", "c")
	text := d("c", "d", "a")
	text[0].Text = "from second"
	got := retrieval.FuseRRF(3, vector, text)
	var ids []string
	for _, g := range got {
		ids = append(ids, g.ID)
	}
	// a: 1/61 + 1/63; c: 1/63 + 1/61 (tie, a ranked first earlier); b: 1/62; d: 1/62
	if !slices.Equal(ids, []string{"a", "c", "b"}) {
		t.Fatalf("fused order %v", ids)
	}
	if math.Abs(got[0].Score-(1.0/61+1.0/63)) > 1e-12 || got[1].Text != "from first" {
		t.Fatalf("fused %+v", got)
	}
	if all := retrieval.FuseRRF(0, vector, text); len(all) != 4 {
		t.Fatalf("k=0 should keep all: %d", len(all))
	}
	if none := retrieval.FuseRRF(5); len(none) != 0 {
		t.Fatal(none)
	}
}

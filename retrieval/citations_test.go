package retrieval_test

import (
	"slices"
	"testing"

	"github.com/chorus-go/chorus/retrieval"
)

func TestParseCitations(t *testing.T) {
	cases := []struct {
		text    string
		sources int
		want    []int
	}{
		{"Paris is the capital [1].", 3, []int{1}},
		{"A [2][3], B [1] and again [2].", 3, []int{2, 3, 1}},
		{"Both [1, 3] and [2; 1].", 3, []int{1, 3, 2}},
		{"A range [1-3].", 5, []int{1, 2, 3}},
		{"En dash [2–3].", 5, []int{2, 3}},
		{"Unknown [7] and zero [0] are dropped [1].", 3, []int{1}},
		{"No citations here.", 3, nil},
		{"Not citations: [a], [], [1.5], [-1], [1,].", 3, nil},
		{"Spaces [ 2 ] ok.", 2, []int{2}},
		{"Huge [99999999999999999999] and reversed [3-1].", 3, nil},
		{"Range past the end [2-9].", 3, nil},
		{"Array in code: x[1] counts too.", 1, []int{1}},
	}
	for _, tc := range cases {
		if got := retrieval.ParseCitations(tc.text, tc.sources); !slices.Equal(got, tc.want) {
			t.Errorf("%q: %v, want %v", tc.text, got, tc.want)
		}
	}
}

func FuzzParseCitations(f *testing.F) {
	for _, s := range []string{"[1]", "[1, 2][3-4]", "[2–3]", "[999999999-1]", "[", "]]][[1"} {
		f.Add(s, 5)
	}
	f.Fuzz(func(t *testing.T, text string, sources int) {
		if sources > 1000 {
			sources = 1000
		}
		got := retrieval.ParseCitations(text, sources)
		seen := map[int]bool{}
		for _, n := range got {
			if n < 1 || n > sources || seen[n] {
				t.Fatalf("%q (%d sources): bad citation list %v", text, sources, got)
			}
			seen[n] = true
		}
	})
}

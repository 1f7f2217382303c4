package retrieval_test

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/internal/lineartest"
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
		{"Range reaching past the end [2-4].", 3, nil},
		{"Overlapping [3-5] then [1-6] and [4].", 6, []int{3, 4, 5, 1, 2, 6}},
		{"Array in code: x[1] counts too.", 1, []int{1}},
	}
	for _, tc := range cases {
		if got := retrieval.ParseCitations(tc.text, tc.sources); !slices.Equal(got, tc.want) {
			t.Errorf("%q: %v, want %v", tc.text, got, tc.want)
		}
	}
}

func TestParseCitationsCapped(t *testing.T) {
	got := retrieval.ParseCitations("All of them [1-999999], and [5].", 1_000_000)
	if len(got) != retrieval.MaxCitations || got[0] != 1 || got[len(got)-1] != retrieval.MaxCitations {
		t.Fatalf("%d citations, from %v to %v; want 1..%d", len(got), got[:1], got[len(got)-1:], retrieval.MaxCitations)
	}
}

// TestParseCitationsHostileIsLinear: 10 kB of hostile citations parse in
// time linear in their length, whatever the number of sources (this took
// 51.7 s when ranges were expanded one number at a time, again and again).
func TestParseCitationsHostileIsLinear(t *testing.T) {
	for _, tc := range []struct {
		name    string
		unit    string
		sources int
	}{
		{"huge ranges", "[1-999999]", 1_000_000},
		{"repeated ranges", "[1-999]", 1_000_000},
		{"shifted ranges", "[%d-999999999]", 1_000_000_000},
		{"long lists", "[1, 2, 3, 4, 5, 6, 7, 8, 9]", 1_000_000},
		{"unclosed", "[1,2-3;", 1_000_000},
		{"nested", "[[[1", 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			build := func(size int) string {
				var b strings.Builder
				for i := 0; b.Len() < size; i++ {
					unit := tc.unit
					if strings.Contains(unit, "%d") {
						unit = fmt.Sprintf(unit, i+1)
					}
					b.WriteString(unit)
				}
				return b.String()
			}
			lineartest.Check(t, build, func(s string) { retrieval.ParseCitations(s, tc.sources) })
		})
	}
}

// citationGroup is the grammar of a citation group, for naiveCitations.
var citationGroup = regexp.MustCompile(`\[\s*(\d{1,9}(?:\s*[-–]\s*\d{1,9})?(?:\s*[,;]\s*\d{1,9}(?:\s*[-–]\s*\d{1,9})?)*)\s*\]`)

// naiveCitations is ParseCitations written plainly, with a regexp, and
// expanding every range number by number: the oracle of
// FuzzParseCitations for few sources.
func naiveCitations(text string, sources int) []int {
	var out []int
	seen := map[int]bool{}
	for _, m := range citationGroup.FindAllStringSubmatch(text, -1) {
		for _, item := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ';' }) {
			lo, hi, isRange := strings.Cut(strings.ReplaceAll(item, "–", "-"), "-")
			a, _ := strconv.Atoi(strings.TrimSpace(lo))
			b := a
			if isRange {
				b, _ = strconv.Atoi(strings.TrimSpace(hi))
			}
			if a < 1 || b < a || b > sources {
				continue
			}
			for n := a; n <= b; n++ {
				if !seen[n] && len(out) < retrieval.MaxCitations {
					seen[n] = true
					out = append(out, n)
				}
			}
		}
	}
	return out
}

func FuzzParseCitations(f *testing.F) {
	for _, s := range []string{"[1]", "[1, 2][3-4]", "[2–3]", "[999999999-1]", "[", "]]][[1", "[3-5][1-9][4]"} {
		f.Add(s, 5)
	}
	f.Add("[1-999999999][2]", 1_000_000_000)
	f.Fuzz(func(t *testing.T, text string, sources int) {
		start := time.Now()
		got := retrieval.ParseCitations(text, sources)
		if d := time.Since(start); d > time.Second+time.Duration(len(text))*time.Millisecond {
			t.Fatalf("%d bytes took %v", len(text), d)
		}
		if len(got) > retrieval.MaxCitations {
			t.Fatalf("%d citations", len(got))
		}
		seen := map[int]bool{}
		for _, n := range got {
			if n < 1 || n > sources || seen[n] {
				t.Fatalf("%q (%d sources): bad citation list %v", text, sources, got)
			}
			seen[n] = true
		}
		if sources <= 1200 {
			if want := naiveCitations(text, sources); !slices.Equal(got, want) {
				t.Fatalf("%q (%d sources): %v, want %v", text, sources, got, want)
			}
		}
	})
}

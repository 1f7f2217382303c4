package schema_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain/schema"
)

// TestParseReplyHostileIsLinear: 10 kB of replies built to make the fence
// and JSON extraction rescan (fences, unclosed fences, braces, info
// strings, blanks) are parsed, and refused, in time linear in their
// length.
func TestParseReplyHostileIsLinear(t *testing.T) {
	s, err := schema.New[pair](schema.Strict())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, prefix, unit string }{
		{"fences", "x", "```"},
		{"fence lines", "x", "```\n"},
		{"info strings", "x```", "json"},
		{"open braces", "x", "{"},
		{"close braces", "x{", "}"},
		{"braces in a fence", "x```json\n", "{["},
		{"blanks", "x```", " \n\t"},
		{"prose", "Here it is: ", "a { b } c ``` "},
		{"long string", `{"a":"`, "x"},
		{"deep arrays", `{"a":`, "["},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkLinear(t,
				func(size int) string { return repeatTo(tc.prefix, tc.unit, size) },
				func(r string) { _, _ = s.Parse(r) })
		})
	}
}

// repeatTo repeats unit, with prefix before it, to at least size bytes.
func repeatTo(prefix, unit string, size int) string {
	n := max(0, (size-len(prefix)+len(unit)-1)/len(unit))
	return prefix + strings.Repeat(unit, n)
}

// checkLinear checks that parse costs time linear in the size of its
// input, robustly on a loaded machine: parsing 10 kB built by build once
// must take under a second, and under 4 times as long as parsing 1 kB ten
// times, the same number of bytes (a quadratic parser takes 10 times as
// long), with 2 ms to spare for the clock. The two are measured in turns,
// and the best of several turns is kept, so that a busy moment of the
// machine does not count against either.
func checkLinear(t *testing.T, build func(size int) string, parse func(string)) {
	t.Helper()
	small, large := build(1<<10), build(10<<10)
	bestSmall, bestLarge := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
	for range 7 {
		start := time.Now()
		for range 10 {
			parse(small)
		}
		bestSmall = min(bestSmall, time.Since(start))
		start = time.Now()
		parse(large)
		bestLarge = min(bestLarge, time.Since(start))
	}
	t.Logf("10 x 1 kB: %v, 10 kB: %v", bestSmall, bestLarge)
	if bestLarge > time.Second || bestLarge > 4*bestSmall+2*time.Millisecond {
		t.Fatalf("10 kB took %v, 10 x 1 kB %v: not linear", bestLarge, bestSmall)
	}
}

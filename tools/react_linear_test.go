package tools_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/tools"
)

// TestParseReActHostileIsLinear: 10 kB of replies built to make a parser
// rescan (labels on every line, unclosed brackets, fences and strings,
// long lines of Markdown) parse in time linear in their length.
func TestParseReActHostileIsLinear(t *testing.T) {
	for _, tc := range []struct{ name, prefix, unit string }{
		{"thoughts", "", "Thought: x\n"},
		{"actions", "", "Action: a\n"},
		{"inputs", "Action: a\n", "Action Input: {\n"},
		{"unclosed brackets", "Action: a\nAction Input: ", "[{"},
		{"unclosed strings", "Action: a\nAction Input: {", `"\"\\`},
		{"fences", "Action: a\nAction Input: ", "```"},
		{"inline input", "Action: a", "((((({"},
		{"markdown", "", "*#>_- \t"},
		{"label words", "", "Final Answer Action Input Thought"},
		{"label prefixes", "", "**Action 123 __ \t\n"},
		{"observations", "Thought: x\n", "Observation: y\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkLinear(t,
				func(size int) string { return repeatTo(tc.prefix, tc.unit, size) },
				func(s string) { _, _ = tools.ParseReAct(s) })
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

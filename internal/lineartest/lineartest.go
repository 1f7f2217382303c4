// Package lineartest checks that a parser of untrusted input costs time
// linear in the input's size, robustly on a loaded machine. The parser
// tests of chain/schema, llm/tesseract, retrieval and tools share it.
package lineartest

import (
	"math"
	"strings"
	"testing"
	"time"
)

// Check checks that parse costs time linear in the size of its input:
// parsing 10 kB built by build once must take under a second, and under 4
// times as long as parsing 1 kB ten times, the same number of bytes (a
// quadratic parser takes 10 times as long), with 2 ms to spare for the
// clock. The two are measured in turns, and the best of several turns is
// kept, so that a busy moment of the machine does not count against
// either.
func Check(t testing.TB, build func(size int) string, parse func(string)) {
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

// RepeatTo repeats unit, with prefix before it, to at least size bytes.
func RepeatTo(prefix, unit string, size int) string {
	n := max(0, (size-len(prefix)+len(unit)-1)/len(unit))
	return prefix + strings.Repeat(unit, n)
}

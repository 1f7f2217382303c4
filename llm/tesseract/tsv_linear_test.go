package tesseract_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/llm/tesseract"
)

// TestParseTSVHostileIsLinear: 10 kB of hostile TSV (many words, rows
// of tabs, a header of many columns, one long line, blank lines) parses
// in time linear in its length.
func TestParseTSVHostileIsLinear(t *testing.T) {
	word := "5\t1\t1\t1\t1\t1\t0\t0\t5\t5\t90\tw\n"
	for _, tc := range []struct{ name, prefix, unit string }{
		{"words", tsvHeader, word},
		{"new lines each word", tsvHeader, "5\t1\t1\t1\t1\t1\t0\t0\t5\t5\t90\tw\n5\t1\t1\t1\t2\t1\t0\t0\t5\t5\t90\tw\n"},
		{"tabs in the text", tsvHeader + "5\t1\t1\t1\t1\t1\t0\t0\t5\t5\t90\t", "\tx"},
		{"wide header", "", "text\tconf\t"},
		{"wide rows", tsvHeader, "5\t1\t1\t1\t1\t1\t0\t0\t5\t5\t90\tw" + strings.Repeat("\t", 50) + "\n"},
		{"blank lines", tsvHeader, " \r\n"},
		{"other levels", tsvHeader, "4\t1\t1\t1\t1\t1\t0\t0\t5\t5\t90\tw\n"},
		{"one long field", tsvHeader + "5\t1\t1\t1\t1\t1\t0\t0\t5\t5\t", "9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkLinear(t,
				func(size int) string { return repeatTo(tc.prefix, tc.unit, size) },
				func(s string) { _, _ = tesseract.ParseTSV([]byte(s)) })
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

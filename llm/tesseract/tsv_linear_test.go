package tesseract_test

import (
	"strings"
	"testing"

	"github.com/chorus-go/chorus/internal/lineartest"
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
			lineartest.Check(t,
				func(size int) string { return lineartest.RepeatTo(tc.prefix, tc.unit, size) },
				func(s string) { _, _ = tesseract.ParseTSV([]byte(s)) })
		})
	}
}

package schema_test

import (
	"testing"

	"github.com/chorus-go/chorus/chain/schema"
	"github.com/chorus-go/chorus/internal/lineartest"
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
			lineartest.Check(t,
				func(size int) string { return lineartest.RepeatTo(tc.prefix, tc.unit, size) },
				func(r string) { _, _ = s.Parse(r) })
		})
	}
}

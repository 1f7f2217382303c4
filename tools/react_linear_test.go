package tools_test

import (
	"testing"

	"github.com/chorus-go/chorus/internal/lineartest"
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
			lineartest.Check(t,
				func(size int) string { return lineartest.RepeatTo(tc.prefix, tc.unit, size) },
				func(s string) { _, _ = tools.ParseReAct(s) })
		})
	}
}

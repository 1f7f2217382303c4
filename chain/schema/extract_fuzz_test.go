package schema

import (
	"strings"
	"testing"
)

// FuzzExtractJSON checks the promises of the fence and JSON extraction on
// any reply: what it returns is a trimmed part of the reply, the reply
// itself (trimmed) when it starts as JSON does, and cut
// at the first closing fence.
func FuzzExtractJSON(f *testing.F) {
	for _, seed := range []string{
		`{"a":1}`,
		"```json\n{\"a\":1}\n```",
		"Here:\n```\n[1]\n``` done",
		"``` json { ```",
		"```{\"a\":\"```\"}```",
		"prose { with } braces }",
		"```",
		"",
		" \n\t",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, reply string) {
		got := extractJSON(reply)
		trimmed := strings.TrimSpace(reply)
		if !strings.Contains(trimmed, got) {
			t.Fatalf("%q is not part of the reply %q", got, reply)
		}
		if got != strings.TrimSpace(got) {
			t.Fatalf("%q is not trimmed", got)
		}
		if trimmed != "" && (trimmed[0] == '{' || trimmed[0] == '[') && got != trimmed {
			t.Fatalf("reply %q starts as JSON, got %q", reply, got)
		}
		if strings.Contains(got, "\n```") && !strings.HasPrefix(trimmed, "{") && !strings.HasPrefix(trimmed, "[") {
			t.Fatalf("reply %q: %q runs past a closing fence", reply, got)
		}
	})
}

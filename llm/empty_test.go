package llm_test

import (
	"testing"

	"github.com/chorus-go/chorus/llm"
)

func TestMessageIsEmpty(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    llm.Message
		want bool
	}{
		{"no parts", llm.Message{Role: llm.RoleAssistant}, true},
		{"empty text", llm.Assistant(""), true},
		{"empty texts", llm.Message{Role: llm.RoleAssistant, Parts: []llm.Part{llm.Text(""), llm.Text("")}}, true},
		{"text", llm.Assistant("ok"), false},
		{"a space", llm.Assistant(" "), false},
		{"tool call", llm.Message{Role: llm.RoleAssistant, ToolCalls: []llm.ToolCall{{ID: "1", Name: "f"}}}, false},
		{"image", llm.User("", llm.Image{MIMEType: "image/png", Data: []byte{1}}), false},
		{"empty user", llm.User(""), true},
	} {
		if got := tc.m.IsEmpty(); got != tc.want {
			t.Errorf("%s: IsEmpty() = %v, want %v", tc.name, got, tc.want)
		}
	}
}

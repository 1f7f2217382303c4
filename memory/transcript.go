package memory

import (
	"strings"

	"github.com/chorus-go/chorus/llm"
)

// transcript renders earlier summaries and old messages as the plain text
// a summariser reads: one line per message, "role: text", with tool calls
// and images described.
func transcript(earlier, old []llm.Message) string {
	var b strings.Builder
	if len(earlier) > 0 {
		b.WriteString("Existing summary:\n")
		for _, m := range earlier {
			b.WriteString(strings.TrimPrefix(m.Text(), SummaryPrefix))
			b.WriteString("\n")
		}
		b.WriteString("\n")
	}
	b.WriteString("Conversation:\n")
	for _, m := range old {
		writeLine(&b, m)
	}
	return b.String()
}

func writeLine(b *strings.Builder, m llm.Message) {
	b.WriteString(string(m.Role))
	if m.Role == llm.RoleTool && m.Name != "" {
		b.WriteString(" (" + m.Name + ")")
	}
	b.WriteString(":")
	for _, p := range m.Parts {
		switch {
		case p.Image != nil:
			b.WriteString(" [image " + p.Image.MIMEType + "]")
		case p.Text != "":
			b.WriteString(" " + p.Text)
		}
	}
	for _, c := range m.ToolCalls {
		b.WriteString(" [calls " + c.Name + "(" + string(c.Arguments) + ")]")
	}
	b.WriteString("\n")
}

package memory

import (
	"bytes"
	"slices"

	"github.com/chorus-go/chorus/llm"
)

// CloneMessages returns a deep copy of msgs: parts, images and their bytes,
// tool calls and their arguments are copied, so the copy shares no memory
// with msgs. Stores use it to copy messages in and out.
func CloneMessages(msgs []llm.Message) []llm.Message {
	if msgs == nil {
		return nil
	}
	out := make([]llm.Message, len(msgs))
	for i := range msgs {
		out[i] = cloneMessage(msgs[i])
	}
	return out
}

func cloneMessage(m llm.Message) llm.Message {
	if m.Parts != nil {
		parts := make([]llm.Part, len(m.Parts))
		for i, p := range m.Parts {
			if p.Image != nil {
				img := *p.Image
				img.Data = bytes.Clone(img.Data)
				p.Image = &img
			}
			parts[i] = p
		}
		m.Parts = parts
	}
	if m.ToolCalls != nil {
		calls := slices.Clone(m.ToolCalls)
		for i := range calls {
			calls[i].Arguments = bytes.Clone(calls[i].Arguments)
		}
		m.ToolCalls = calls
	}
	return m
}

// EqualMessages reports whether a and b hold the same messages: same
// roles, names and tool call IDs, same parts (text, and images of the same
// type and bytes) and same tool calls (arguments compared byte for byte).
// A nil slice equals an empty one. Store implementations use it for the
// check in Replace.
func EqualMessages(a, b []llm.Message) bool {
	return slices.EqualFunc(a, b, equalMessage)
}

func equalMessage(a, b llm.Message) bool {
	if a.Role != b.Role || a.ToolCallID != b.ToolCallID || a.Name != b.Name {
		return false
	}
	return slices.EqualFunc(a.Parts, b.Parts, equalPart) &&
		slices.EqualFunc(a.ToolCalls, b.ToolCalls, equalToolCall)
}

func equalPart(a, b llm.Part) bool {
	if a.Text != b.Text || (a.Image == nil) != (b.Image == nil) {
		return false
	}
	return a.Image == nil || a.Image.MIMEType == b.Image.MIMEType && bytes.Equal(a.Image.Data, b.Image.Data)
}

func equalToolCall(a, b llm.ToolCall) bool {
	return a.ID == b.ID && a.Name == b.Name && bytes.Equal(a.Arguments, b.Arguments)
}

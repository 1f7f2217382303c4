package llm

// IsEmpty reports whether m carries nothing to send: no text (or only
// empty text), no image and no tool call. A model may answer so (an empty
// completion); such an assistant message cannot be sent back to it in a
// later request — Request.Validate refuses a message without parts or tool
// calls, and OpenAI an assistant message without content or tool calls —
// so the conversation memories of Chorus (memory.Chat,
// tools.Conversation) neither store nor send it.
func (m Message) IsEmpty() bool {
	if len(m.ToolCalls) > 0 {
		return false
	}
	for _, p := range m.Parts {
		if p.Text != "" || p.Image != nil {
			return false
		}
	}
	return true
}

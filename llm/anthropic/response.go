package anthropic

import (
	"encoding/json"
	"strings"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"

	"github.com/chorus-go/chorus/llm"
)

// response turns the SDK's Message into an llm.Response: the text blocks
// joined, the tool_use blocks as tool calls, the finish reason, the usage
// and the model that answered. Other blocks (thinking) are left out.
func (m *Model) response(msg *sdk.Message) llm.Response {
	out := llm.Response{
		Message:      llm.Message{Role: llm.RoleAssistant},
		FinishReason: finishReason(string(msg.StopReason)),
		Usage: usage(msg.Usage.InputTokens, msg.Usage.CacheCreationInputTokens,
			msg.Usage.CacheReadInputTokens, msg.Usage.OutputTokens),
		Model: string(msg.Model),
	}
	var text strings.Builder
	for i := range msg.Content {
		b := &msg.Content[i]
		switch b.Type {
		case "text":
			text.WriteString(b.Text)
		case "tool_use":
			out.Message.ToolCalls = append(out.Message.ToolCalls, llm.ToolCall{ID: b.ID, Name: b.Name, Arguments: arguments(b.Input)})
		}
	}
	if text.Len() > 0 {
		out.Message.Parts = []llm.Part{llm.Text(text.String())}
	}
	return out
}

// usage is llm's usage of Anthropic's counts: input_tokens counts only the
// tokens after the last cache breakpoint, so InputTokens adds the cache
// writes and reads to it.
func usage(input, cacheWrite, cacheRead, output int64) llm.Usage {
	return llm.Usage{
		InputTokens:      int(input + cacheWrite + cacheRead),
		OutputTokens:     int(output),
		CacheReadTokens:  int(cacheRead),
		CacheWriteTokens: int(cacheWrite),
	}
}

// finishReason maps Anthropic's stop_reason to llm's finish reasons, those
// of llm/openai: end_turn and stop_sequence are "stop", max_tokens and
// model_context_window_exceeded "length", tool_use "tool_calls", refusal
// "content_filter"; any other (pause_turn) is kept as it is.
func finishReason(r string) string {
	switch r {
	case "end_turn", "stop_sequence":
		return "stop"
	case "max_tokens", "model_context_window_exceeded":
		return "length"
	case "tool_use":
		return "tool_calls"
	case "refusal":
		return "content_filter"
	}
	return r
}

// arguments keeps a call's input as the model wrote it, "{}" when empty.
func arguments(raw []byte) json.RawMessage {
	if len(strings.TrimSpace(string(raw))) == 0 {
		return json.RawMessage("{}")
	}
	return json.RawMessage(append([]byte(nil), raw...))
}

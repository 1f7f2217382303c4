package openai

import (
	"encoding/json"

	openai "github.com/sashabaranov/go-openai"

	"github.com/chorus-go/chorus/llm"
)

// response turns go-openai's answer into an llm.Response: the first
// choice's text and tool calls, its finish reason, the usage and the model
// that answered. A refusal is a *RefusalError; an answer without choices
// an *llm.Error.
func (m *Model) response(r *openai.ChatCompletionResponse) (llm.Response, error) {
	if len(r.Choices) == 0 {
		return llm.Response{}, &llm.Error{Provider: provider, Model: m.c.model, Message: "the response has no choices"}
	}
	choice := &r.Choices[0]
	msg := &choice.Message
	if msg.Refusal != "" {
		return llm.Response{}, &RefusalError{Model: m.c.model, Refusal: msg.Refusal}
	}
	out := llm.Response{
		Message:      llm.Message{Role: llm.RoleAssistant},
		FinishReason: string(choice.FinishReason),
		Usage:        llm.Usage{InputTokens: r.Usage.PromptTokens, OutputTokens: r.Usage.CompletionTokens},
		Model:        r.Model,
	}
	if msg.Content != "" {
		out.Message.Parts = []llm.Part{llm.Text(msg.Content)}
	}
	if len(msg.ToolCalls) > 0 {
		out.Message.ToolCalls = make([]llm.ToolCall, len(msg.ToolCalls))
		for i, c := range msg.ToolCalls {
			out.Message.ToolCalls[i] = llm.ToolCall{ID: c.ID, Name: c.Function.Name, Arguments: arguments(c.Function.Arguments)}
		}
	}
	return out, nil
}

// arguments keeps a call's arguments as the model wrote them (invalid JSON
// included: the caller decides what to do with it), "{}" when empty.
func arguments(s string) json.RawMessage {
	if s == "" {
		return json.RawMessage("{}")
	}
	return json.RawMessage(s)
}

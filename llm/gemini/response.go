package gemini

import (
	"encoding/json"
	"fmt"
	"strings"

	"google.golang.org/genai"

	"github.com/chorus-go/chorus/llm"
)

// The finish reasons of llm.Response, as the other adapters name them.
const (
	finishStop      = "stop"
	finishLength    = "length"
	finishToolCalls = "tool_calls"
)

// blockingFinish are the finish reasons that mean the filters stopped the
// answer: they become a *BlockedError.
var blockingFinish = map[genai.FinishReason]bool{
	genai.FinishReasonSafety:                 true,
	genai.FinishReasonRecitation:             true,
	genai.FinishReasonBlocklist:              true,
	genai.FinishReasonProhibitedContent:      true,
	genai.FinishReasonSPII:                   true,
	genai.FinishReasonImageSafety:            true,
	genai.FinishReasonImageProhibitedContent: true,
	genai.FinishReasonImageRecitation:        true,
}

// finishReason names a Gemini finish reason as llm does: STOP is "stop"
// ("tool_calls" when the answer calls tools), MAX_TOKENS "length", any
// other its lower-case name ("malformed_function_call", "other").
func finishReason(r genai.FinishReason, calls bool) string {
	switch r {
	case genai.FinishReasonStop:
		if calls {
			return finishToolCalls
		}
		return finishStop
	case genai.FinishReasonMaxTokens:
		return finishLength
	case "":
		return ""
	}
	return strings.ToLower(string(r))
}

// usage counts the answer's thinking tokens as output, as they are billed.
func usage(u *genai.GenerateContentResponseUsageMetadata) llm.Usage {
	if u == nil {
		return llm.Usage{}
	}
	return llm.Usage{InputTokens: int(u.PromptTokenCount), OutputTokens: int(u.CandidatesTokenCount + u.ThoughtsTokenCount)}
}

// promptBlocked is the *BlockedError of a response whose prompt was
// blocked, nil if it was not.
func (m *Model) promptBlocked(r *genai.GenerateContentResponse) error {
	pf := r.PromptFeedback
	if pf == nil || pf.BlockReason == "" {
		return nil
	}
	return &BlockedError{Model: m.c.model, Prompt: true, Reason: string(pf.BlockReason),
		Message: pf.BlockReasonMessage, SafetyRatings: ratings(pf.SafetyRatings)}
}

// answerBlocked is the *BlockedError of a candidate the filters stopped.
func (m *Model) answerBlocked(c *genai.Candidate, partial string) error {
	return &BlockedError{Model: m.c.model, Reason: string(c.FinishReason), Message: c.FinishMessage,
		SafetyRatings: ratings(c.SafetyRatings), Partial: partial}
}

// parts reads a candidate's parts: the text (thoughts left out) and the
// function calls. n numbers the calls the API sent without an ID.
func parts(c *genai.Content, text *strings.Builder, calls *[]llm.ToolCall) error {
	if c == nil {
		return nil
	}
	for _, p := range c.Parts {
		if p == nil || p.Thought {
			continue
		}
		if p.FunctionCall != nil {
			fc := p.FunctionCall
			args := []byte("{}")
			if fc.Args != nil {
				b, err := json.Marshal(fc.Args)
				if err != nil {
					return fmt.Errorf("function call %q: %w", fc.Name, err)
				}
				args = b
			}
			id := fc.ID
			if id == "" {
				id = fmt.Sprintf("%s%d", madeUpID, len(*calls))
			}
			*calls = append(*calls, llm.ToolCall{ID: joinID(id, p.ThoughtSignature), Name: fc.Name, Arguments: args})
			continue
		}
		text.WriteString(p.Text)
	}
	return nil
}

// response translates a whole answer; a blocked prompt or answer is a
// *BlockedError.
func (m *Model) response(r *genai.GenerateContentResponse) (llm.Response, error) {
	if err := m.promptBlocked(r); err != nil {
		return llm.Response{}, err
	}
	if len(r.Candidates) == 0 || r.Candidates[0] == nil {
		return llm.Response{}, &llm.Error{Provider: provider, Model: m.c.model, Message: "the answer has no candidate"}
	}
	c := r.Candidates[0]
	var (
		text  strings.Builder
		calls []llm.ToolCall
	)
	if err := parts(c.Content, &text, &calls); err != nil {
		return llm.Response{}, &llm.Error{Provider: provider, Model: m.c.model, Message: err.Error(), Err: err}
	}
	if blockingFinish[c.FinishReason] {
		return llm.Response{}, m.answerBlocked(c, text.String())
	}
	out := llm.Response{
		Message:      llm.Message{Role: llm.RoleAssistant, ToolCalls: calls},
		FinishReason: finishReason(c.FinishReason, len(calls) > 0),
		Usage:        usage(r.UsageMetadata),
		Model:        m.c.model,
	}
	if r.ModelVersion != "" {
		out.Model = r.ModelVersion
	}
	if text.Len() > 0 {
		out.Message.Parts = []llm.Part{llm.Text(text.String())}
	}
	return out, nil
}

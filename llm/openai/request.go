package openai

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	openai "github.com/sashabaranov/go-openai"

	"github.com/chorus-go/chorus/llm"
)

// emptyParameters is sent for a tool without a parameter schema: OpenAI
// wants an object schema, and go-openai would otherwise send null.
var emptyParameters = json.RawMessage(`{"type":"object","properties":{}}`)

// reasoningModel reports whether a model belongs to a family that rejects
// max_tokens, temperature and top_p (o1, o3, o4, gpt-5, gpt-6): go-openai
// refuses such requests before sending them, and so does OpenAI.
func reasoningModel(model string) bool {
	for _, p := range []string{"o1", "o3", "o4", "gpt-5", "gpt-6"} {
		if strings.HasPrefix(model, p) {
			return true
		}
	}
	return false
}

// request turns an llm.Request into go-openai's, after req.Validate. The
// returned names are options dropped because the model rejects them.
func (m *Model) request(req *llm.Request) (openai.ChatCompletionRequest, []string, error) {
	if err := req.Validate(); err != nil {
		return openai.ChatCompletionRequest{}, nil, err
	}
	out := openai.ChatCompletionRequest{
		Model:    m.c.model,
		Messages: make([]openai.ChatCompletionMessage, len(req.Messages)),
	}
	for i := range req.Messages {
		out.Messages[i] = message(&req.Messages[i])
	}
	if len(req.Tools) > 0 {
		out.Tools = make([]openai.Tool, len(req.Tools))
		for i, t := range req.Tools {
			params := t.Parameters
			if len(params) == 0 {
				params = emptyParameters
			}
			out.Tools[i] = openai.Tool{Type: openai.ToolTypeFunction, Function: &openai.FunctionDefinition{
				Name: t.Name, Description: t.Description, Parameters: params,
			}}
		}
	}
	choice, err := toolChoice(req)
	if err != nil {
		return openai.ChatCompletionRequest{}, nil, err
	}
	out.ToolChoice = choice
	if f := req.Format; f != nil {
		switch f.Type {
		case "", llm.FormatText:
			// Text is the default; some compatible servers reject an
			// explicit {"type":"text"}.
		case llm.FormatJSON:
			out.ResponseFormat = &openai.ChatCompletionResponseFormat{Type: openai.ChatCompletionResponseFormatTypeJSONObject}
		case llm.FormatJSONSchema:
			out.ResponseFormat = &openai.ChatCompletionResponseFormat{
				Type: openai.ChatCompletionResponseFormatTypeJSONSchema,
				JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{
					Name: schemaName(f.Name), Schema: f.Schema, Strict: f.Strict,
				},
			}
		default:
			return openai.ChatCompletionRequest{}, nil, fmt.Errorf("%w: unknown response format %q", llm.ErrInvalidRequest, f.Type)
		}
	}
	dropped, err := m.options(&out, req.Options.WithDefaults(m.defaults))
	if err != nil {
		return openai.ChatCompletionRequest{}, nil, err
	}
	return out, dropped, nil
}

// message converts one message. A user message of a single text part is
// sent as a plain string; one with images as content parts, each image a
// data: URL.
func message(m *llm.Message) openai.ChatCompletionMessage {
	out := openai.ChatCompletionMessage{Role: string(m.Role)}
	switch {
	case len(m.Parts) == 1 && m.Parts[0].Image == nil:
		out.Content = m.Parts[0].Text
	case m.Role == llm.RoleUser && hasImage(m.Parts):
		out.MultiContent = make([]openai.ChatMessagePart, 0, len(m.Parts))
		for _, p := range m.Parts {
			if p.Image != nil {
				out.MultiContent = append(out.MultiContent, openai.ChatMessagePart{
					Type:     openai.ChatMessagePartTypeImageURL,
					ImageURL: &openai.ChatMessageImageURL{URL: dataURL(p.Image)},
				})
			} else if p.Text != "" {
				out.MultiContent = append(out.MultiContent, openai.ChatMessagePart{Type: openai.ChatMessagePartTypeText, Text: p.Text})
			}
		}
	default:
		out.Content = m.Text()
	}
	switch m.Role {
	case llm.RoleAssistant:
		if len(m.ToolCalls) > 0 {
			out.ToolCalls = make([]openai.ToolCall, len(m.ToolCalls))
			for i, c := range m.ToolCalls {
				args := string(c.Arguments)
				if args == "" {
					args = "{}"
				}
				out.ToolCalls[i] = openai.ToolCall{ID: c.ID, Type: openai.ToolTypeFunction,
					Function: openai.FunctionCall{Name: c.Name, Arguments: args}}
			}
		}
	case llm.RoleTool:
		out.ToolCallID = m.ToolCallID
		if m.ToolCallID == "" {
			// OpenAI pairs results by tool_call_id and takes no name on
			// tool messages; compatible servers without ids pair by name.
			out.Name = m.Name
		}
	}
	return out
}

func hasImage(parts []llm.Part) bool {
	for _, p := range parts {
		if p.Image != nil {
			return true
		}
	}
	return false
}

// dataURL encodes an image as data:<MIME type>;base64,<data>, in one
// allocation.
func dataURL(img *llm.Image) string {
	prefix := "data:" + img.MIMEType + ";base64,"
	b := make([]byte, len(prefix)+base64.StdEncoding.EncodedLen(len(img.Data)))
	copy(b, prefix)
	base64.StdEncoding.Encode(b[len(prefix):], img.Data)
	return string(b)
}

// toolChoice maps "auto", "none", "required" to themselves and a tool's
// name to the object that forces that function. Without tools, "auto" and
// "none" are left out (OpenAI rejects a tool_choice without tools).
func toolChoice(req *llm.Request) (any, error) {
	switch req.ToolChoice {
	case "":
		return nil, nil
	case "auto", "none":
		if len(req.Tools) == 0 {
			return nil, nil
		}
		return req.ToolChoice, nil
	case "required":
		if len(req.Tools) == 0 {
			return nil, fmt.Errorf("%w: tool choice \"required\" without tools", llm.ErrInvalidRequest)
		}
		return req.ToolChoice, nil
	}
	for _, t := range req.Tools {
		if t.Name == req.ToolChoice {
			return openai.ToolChoice{Type: openai.ToolTypeFunction, Function: openai.ToolFunction{Name: t.Name}}, nil
		}
	}
	return nil, fmt.Errorf("%w: tool choice %q names no tool of the request", llm.ErrInvalidRequest, req.ToolChoice)
}

// schemaName makes a name OpenAI accepts for a json_schema format:
// letters, digits, '_' and '-', at most 64 characters; "response" if empty.
func schemaName(name string) string {
	if name == "" {
		return "response"
	}
	b := []byte(name)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			b[i] = '_'
		}
	}
	if len(b) > 64 {
		b = b[:64]
	}
	return string(b)
}

// options sets the generation options. go-openai leaves a zero temperature
// or top_p out of the JSON, so zero is sent as the smallest positive
// float32 (greedy, as asked). Reasoning models take max_completion_tokens
// and no temperature or top_p: those are dropped and their names returned.
func (m *Model) options(out *openai.ChatCompletionRequest, o llm.Options) ([]string, error) {
	if o.MaxTokens < 0 {
		return nil, fmt.Errorf("%w: negative MaxTokens %d", llm.ErrInvalidRequest, o.MaxTokens)
	}
	var dropped []string
	if o.Temperature != nil {
		if m.reasoning {
			dropped = append(dropped, "temperature")
		} else {
			out.Temperature = nonZero(*o.Temperature)
		}
	}
	if o.TopP != nil {
		if m.reasoning {
			dropped = append(dropped, "top_p")
		} else {
			out.TopP = nonZero(*o.TopP)
		}
	}
	if m.reasoning {
		out.MaxCompletionTokens = o.MaxTokens
	} else {
		out.MaxTokens = o.MaxTokens
	}
	if len(o.Stop) > 0 {
		out.Stop = o.Stop
	}
	if o.Seed != nil {
		seed := *o.Seed
		out.Seed = &seed
	}
	return dropped, nil
}

func nonZero(v float64) float32 {
	if v == 0 {
		return math.SmallestNonzeroFloat32
	}
	return float32(v)
}

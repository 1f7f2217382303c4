package ollama

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/ollama/ollama/api"

	"github.com/chorus-go/chorus/llm"
)

// chatRequest maps an llm.Request to Ollama's chat request.
func (m *Model) chatRequest(ctx context.Context, req *llm.Request, stream bool) (*api.ChatRequest, error) {
	if err := req.Validate(); err != nil {
		return nil, fmt.Errorf("ollama: %w", err)
	}
	msgs, err := messages(req.Messages)
	if err != nil {
		return nil, err
	}
	tools, err := m.tools(ctx, req.Tools, req.ToolChoice)
	if err != nil {
		return nil, err
	}
	format, err := m.format(ctx, req.Format)
	if err != nil {
		return nil, err
	}
	return &api.ChatRequest{
		Model:     m.model,
		Messages:  msgs,
		Stream:    &stream,
		Format:    format,
		KeepAlive: m.keepAlive,
		Tools:     tools,
		Options:   m.requestOptions(req.Options.WithDefaults(m.defaults)),
		Think:     m.think,
	}, nil
}

// messages maps the conversation. Ollama's message has one content string
// and a list of images: a message's text parts are joined and its images
// follow them, whatever their order among the parts.
func messages(in []llm.Message) ([]api.Message, error) {
	out := make([]api.Message, len(in))
	for i := range in {
		m := &in[i]
		o := api.Message{Role: string(m.Role), Content: m.Text()}
		for _, p := range m.Parts {
			if p.Image != nil {
				o.Images = append(o.Images, api.ImageData(p.Image.Data))
			}
		}
		if len(m.ToolCalls) > 0 {
			o.ToolCalls = make([]api.ToolCall, len(m.ToolCalls))
			for j, tc := range m.ToolCalls {
				args, err := callArguments(tc.Arguments)
				if err != nil {
					return nil, fmt.Errorf("ollama: %w: message %d tool call %d (%s): %v", llm.ErrInvalidRequest, i, j, tc.Name, err)
				}
				o.ToolCalls[j] = api.ToolCall{ID: tc.ID, Function: api.ToolCallFunction{Index: j, Name: tc.Name, Arguments: args}}
			}
		}
		if m.Role == llm.RoleTool {
			o.ToolCallID = m.ToolCallID
			o.ToolName = m.Name
			if o.ToolName == "" {
				o.ToolName = toolNameOf(in[:i], m.ToolCallID)
			}
		}
		out[i] = o
	}
	return out, nil
}

// toolNameOf finds the name of the tool call with the given ID among the
// earlier messages, for tool results that carry only the ID: Ollama's
// templates render a tool result by name.
func toolNameOf(earlier []llm.Message, id string) string {
	for i := len(earlier) - 1; i >= 0; i-- {
		for _, tc := range earlier[i].ToolCalls {
			if tc.ID == id {
				return tc.Name
			}
		}
	}
	return ""
}

// format maps the output format: text is none, JSON is "json", a JSON
// schema is sent as it is (Ollama constrains the output to it; there is no
// non-strict mode, so Strict changes nothing and Name is not sent).
func (c *conn) format(ctx context.Context, f *llm.Format) ([]byte, error) {
	if f == nil {
		return nil, nil
	}
	switch f.Type {
	case "", llm.FormatText:
		return nil, nil
	case llm.FormatJSON:
		return []byte(`"json"`), nil
	case llm.FormatJSONSchema:
		if f.Name != "" || f.Strict {
			c.debug(ctx, "ollama: format name and strict flag are not sent; the schema is always enforced", slog.String("schema", f.Name))
		}
		return f.Schema, nil
	}
	return nil, fmt.Errorf("ollama: %w: unknown format type %q", llm.ErrInvalidRequest, f.Type)
}

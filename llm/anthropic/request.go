package anthropic

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"

	"github.com/chorus-go/chorus/llm"
)

// jsonInstruction is added to the system prompt for llm.FormatJSON: the
// Messages API has a JSON-schema output format but no "any JSON object"
// mode.
const jsonInstruction = "Reply with one JSON object and nothing else."

// params turns an llm.Request into the SDK's, after req.Validate. The
// returned names are options left out because the API has no such
// parameter.
func (m *Model) params(req *llm.Request) (sdk.MessageNewParams, []string, error) {
	if err := req.Validate(); err != nil {
		return sdk.MessageNewParams{}, nil, err
	}
	out := sdk.MessageNewParams{Model: sdk.Model(m.c.model)}
	system, msgs, err := messages(req.Messages)
	if err != nil {
		return sdk.MessageNewParams{}, nil, err
	}
	out.Messages = msgs
	if len(req.Tools) > 0 {
		out.Tools = make([]sdk.ToolUnionParam, len(req.Tools))
		for i, t := range req.Tools {
			tool, err := toolParam(&t)
			if err != nil {
				return sdk.MessageNewParams{}, nil, err
			}
			out.Tools[i] = sdk.ToolUnionParam{OfTool: tool}
		}
	}
	if out.ToolChoice, err = toolChoice(req); err != nil {
		return sdk.MessageNewParams{}, nil, err
	}
	if f := req.Format; f != nil {
		switch f.Type {
		case "", llm.FormatText:
		case llm.FormatJSON:
			system = append(system, sdk.TextBlockParam{Text: jsonInstruction})
		case llm.FormatJSONSchema:
			schema, err := decodeObject(f.Schema)
			if err != nil {
				return sdk.MessageNewParams{}, nil, fmt.Errorf("%w: response format schema: %w", llm.ErrInvalidRequest, err)
			}
			out.OutputConfig = sdk.OutputConfigParam{Format: sdk.JSONOutputFormatParam{Schema: schema}}
		default:
			return sdk.MessageNewParams{}, nil, fmt.Errorf("%w: unknown response format %q", llm.ErrInvalidRequest, f.Type)
		}
	}
	out.System = system
	m.markCache(&out)

	o := req.Options.WithDefaults(m.defaults)
	out.MaxTokens = int64(o.MaxTokens)
	if o.MaxTokens == 0 {
		out.MaxTokens = int64(m.maxTokens)
	}
	if o.MaxTokens < 0 {
		return sdk.MessageNewParams{}, nil, fmt.Errorf("%w: negative MaxTokens %d", llm.ErrInvalidRequest, o.MaxTokens)
	}
	if len(o.Stop) > 0 {
		out.StopSequences = o.Stop
	}
	var dropped []string
	if o.Temperature != nil {
		dropped = append(dropped, "temperature")
	}
	if o.TopP != nil {
		dropped = append(dropped, "top_p")
	}
	if o.Seed != nil {
		dropped = append(dropped, "seed")
	}
	return out, dropped, nil
}

// messages converts the conversation: system messages go to the top-level
// system prompt, one text block each, in order; tool results become
// tool_result blocks of a user turn; consecutive turns of one role (user
// messages and tool results, assistant messages) are merged into one, as
// the API wants the results of parallel tool calls in one user turn.
func messages(in []llm.Message) ([]sdk.TextBlockParam, []sdk.MessageParam, error) {
	var (
		system []sdk.TextBlockParam
		out    []sdk.MessageParam
	)
	appendTurn := func(user bool, blocks []sdk.ContentBlockParamUnion) {
		if n := len(out); n > 0 {
			last := &out[n-1]
			if user && last.OfUser != nil {
				last.OfUser.Content = append(last.OfUser.Content, blocks...)
				return
			}
			if !user && last.OfAssistant != nil {
				last.OfAssistant.Content = append(last.OfAssistant.Content, blocks...)
				return
			}
		}
		if user {
			out = append(out, sdk.MessageParam{OfUser: &sdk.UserMessageParam{Content: blocks}})
		} else {
			out = append(out, sdk.MessageParam{OfAssistant: &sdk.AssistantMessageParam{Content: blocks}})
		}
	}
	for i := range in {
		msg := &in[i]
		switch msg.Role {
		case llm.RoleSystem:
			if text := msg.Text(); text != "" {
				system = append(system, sdk.TextBlockParam{Text: text})
			}
			continue
		case llm.RoleTool:
			if msg.ToolCallID == "" {
				return nil, nil, fmt.Errorf("%w: message %d is a tool result without a tool call ID (Anthropic pairs results with calls by ID)", llm.ErrInvalidRequest, i)
			}
			res := &sdk.ToolResultBlockParam{ToolUseID: msg.ToolCallID}
			if text := msg.Text(); text != "" {
				res.Content = []sdk.ToolResultBlockParamContentUnion{{OfText: &sdk.TextBlockParam{Text: text}}}
			}
			appendTurn(true, []sdk.ContentBlockParamUnion{{OfToolResult: res}})
			continue
		}
		var blocks []sdk.ContentBlockParamUnion
		for _, p := range msg.Parts {
			switch {
			case p.Image != nil:
				blocks = append(blocks, sdk.ContentBlockParamUnion{OfImage: &sdk.ImageBlockParam{
					Source: sdk.ImageBlockParamSourceUnion{OfBase64: &sdk.Base64ImageSourceParam{
						Data: base64.StdEncoding.EncodeToString(p.Image.Data), MediaType: sdk.Base64ImageSourceMediaType(p.Image.MIMEType),
					}},
				}})
			case p.Text != "":
				blocks = append(blocks, sdk.ContentBlockParamUnion{OfText: &sdk.TextBlockParam{Text: p.Text}})
			}
		}
		for _, c := range msg.ToolCalls {
			args := c.Arguments
			if len(bytes.TrimSpace(args)) == 0 {
				args = json.RawMessage("{}")
			}
			if !json.Valid(args) {
				return nil, nil, fmt.Errorf("%w: message %d: the arguments of tool call %q are not valid JSON", llm.ErrInvalidRequest, i, c.ID)
			}
			blocks = append(blocks, sdk.ContentBlockParamUnion{OfToolUse: &sdk.ToolUseBlockParam{ID: c.ID, Name: c.Name, Input: args}})
		}
		if len(blocks) == 0 {
			return nil, nil, fmt.Errorf("%w: message %d (%s) has no content (Anthropic refuses empty text)", llm.ErrInvalidRequest, i, msg.Role)
		}
		appendTurn(msg.Role == llm.RoleUser, blocks)
	}
	if len(out) == 0 {
		return nil, nil, fmt.Errorf("%w: no user or assistant message (Anthropic needs one besides the system prompt)", llm.ErrInvalidRequest)
	}
	return system, out, nil
}

// toolParam converts a tool; its parameter schema is sent as it is, as
// input_schema (an object schema with no properties when it has none).
func toolParam(t *llm.Tool) (*sdk.ToolParam, error) {
	out := &sdk.ToolParam{Name: t.Name}
	if t.Description != "" {
		out.Description = sdk.String(t.Description)
	}
	if len(t.Parameters) > 0 {
		schema, err := decodeObject(t.Parameters)
		if err != nil {
			return nil, fmt.Errorf("%w: tool %q parameters: %w", llm.ErrInvalidRequest, t.Name, err)
		}
		delete(schema, "type") // sent by the SDK: "object"
		out.InputSchema.ExtraFields = schema
	}
	if out.InputSchema.ExtraFields["properties"] == nil {
		out.InputSchema.Properties = map[string]any{}
	}
	return out, nil
}

// decodeObject decodes a JSON object, each member kept as the JSON it was
// written as (numbers included: the SDK's encoder writes a json.Number as a
// string, a json.RawMessage as it is).
func decodeObject(raw json.RawMessage) (map[string]any, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return nil, err
	}
	if members == nil {
		return nil, fmt.Errorf("not a JSON object: %s", truncate(string(raw), 50))
	}
	m := make(map[string]any, len(members))
	for k, v := range members {
		m[k] = v
	}
	return m, nil
}

// toolChoice maps "auto" and "none" to themselves, "required" to "any"
// and a tool's name to {"type":"tool","name":...}. Without tools, "auto"
// and "none" are left out.
func toolChoice(req *llm.Request) (sdk.ToolChoiceUnionParam, error) {
	switch req.ToolChoice {
	case "":
		return sdk.ToolChoiceUnionParam{}, nil
	case "auto", "none":
		if len(req.Tools) == 0 {
			return sdk.ToolChoiceUnionParam{}, nil
		}
		if req.ToolChoice == "none" {
			none := sdk.NewToolChoiceNoneParam()
			return sdk.ToolChoiceUnionParam{OfNone: &none}, nil
		}
		return sdk.ToolChoiceUnionParam{OfAuto: &sdk.ToolChoiceAutoParam{}}, nil
	case "required":
		if len(req.Tools) == 0 {
			return sdk.ToolChoiceUnionParam{}, fmt.Errorf("%w: tool choice \"required\" without tools", llm.ErrInvalidRequest)
		}
		return sdk.ToolChoiceUnionParam{OfAny: &sdk.ToolChoiceAnyParam{}}, nil
	}
	for _, t := range req.Tools {
		if t.Name == req.ToolChoice {
			return sdk.ToolChoiceUnionParam{OfTool: &sdk.ToolChoiceToolParam{Name: t.Name}}, nil
		}
	}
	return sdk.ToolChoiceUnionParam{}, fmt.Errorf("%w: tool choice %q names no tool of the request", llm.ErrInvalidRequest, req.ToolChoice)
}

// markCache puts the cache breakpoints WithPromptCaching asked for.
func (m *Model) markCache(p *sdk.MessageNewParams) {
	if m.cache&CacheSystem != 0 && len(p.System) > 0 {
		p.System[len(p.System)-1].CacheControl = sdk.NewCacheControlEphemeralParam()
	}
	if m.cache&CacheTools != 0 && len(p.Tools) > 0 {
		p.Tools[len(p.Tools)-1].OfTool.CacheControl = sdk.NewCacheControlEphemeralParam()
	}
	if m.cache&CacheLastMessage != 0 && len(p.Messages) > 0 {
		last := &p.Messages[len(p.Messages)-1]
		var blocks []sdk.ContentBlockParamUnion
		if last.OfUser != nil {
			blocks = last.OfUser.Content
		} else if last.OfAssistant != nil {
			blocks = last.OfAssistant.Content
		}
		if len(blocks) > 0 {
			markBlock(&blocks[len(blocks)-1])
		}
	}
}

// markBlock sets cache_control on a content block of the kinds the
// adapter sends.
func markBlock(b *sdk.ContentBlockParamUnion) {
	cc := sdk.NewCacheControlEphemeralParam()
	switch {
	case b.OfText != nil:
		b.OfText.CacheControl = cc
	case b.OfImage != nil:
		b.OfImage.CacheControl = cc
	case b.OfToolUse != nil:
		b.OfToolUse.CacheControl = cc
	case b.OfToolResult != nil:
		b.OfToolResult.CacheControl = cc
	}
}

package ollama

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strconv"

	"github.com/chorus-go/chorus/llm"
	"github.com/ollama/ollama/api"
)

// tools maps the tools offered to the model. Ollama has no tool_choice:
// "none" offers no tools, a tool's name offers only that tool (the model
// may still answer in text), and "required" offers them all without being
// able to force a call.
func (c *conn) tools(ctx context.Context, in []llm.Tool, choice string) (api.Tools, error) {
	if len(in) == 0 {
		return nil, nil
	}
	switch choice {
	case "", "auto":
	case "none":
		return nil, nil
	case "required":
		c.debug(ctx, "ollama: tool choice \"required\" cannot be enforced; the tools are offered")
	default:
		i := slices.IndexFunc(in, func(t llm.Tool) bool { return t.Name == choice })
		if i < 0 {
			return nil, fmt.Errorf("ollama: %w: tool choice %q names no tool of the request", llm.ErrInvalidRequest, choice)
		}
		c.debug(ctx, "ollama: a named tool choice cannot be enforced; only that tool is offered", slog.String("tool", choice))
		in = in[i : i+1]
	}
	out := make(api.Tools, len(in))
	for i, t := range in {
		params, err := c.toolParameters(ctx, t)
		if err != nil {
			return nil, err
		}
		out[i] = api.Tool{Type: "function", Function: api.ToolFunction{Name: t.Name, Description: t.Description, Parameters: params}}
	}
	return out, nil
}

// toolParameters decodes a tool's JSON Schema into Ollama's typed subset.
// Kept: at the top, type, required, properties, items and $defs; in each
// property, type (one or several), description, enum, anyOf, items (whole)
// and nested properties. Every other keyword is dropped on the way: a
// nested object's required list, $ref, oneOf and allOf, const, format,
// pattern, minimum and maximum, minLength, default, additionalProperties,
// title, a top-level description. A schema without a type is an object.
func (c *conn) toolParameters(ctx context.Context, t llm.Tool) (api.ToolFunctionParameters, error) {
	var p api.ToolFunctionParameters
	if raw := bytes.TrimSpace(t.Parameters); len(raw) > 0 && !bytes.Equal(raw, []byte("null")) {
		if err := json.Unmarshal(raw, &p); err != nil {
			return p, fmt.Errorf("ollama: %w: tool %q parameters do not fit Ollama's tool schema: %v", llm.ErrInvalidRequest, t.Name, err)
		}
		if c.log != nil {
			if lost := droppedKeywords(raw); len(lost) > 0 {
				c.debug(ctx, "ollama: tool schema keywords Ollama cannot carry were dropped", slog.String("tool", t.Name), slog.Any("keywords", lost))
			}
		}
	}
	if p.Type == "" {
		p.Type = "object"
	}
	if p.Properties == nil {
		p.Properties = api.NewToolPropertiesMap()
	}
	return p, nil
}

// droppedKeywords lists, as paths, the keywords of a tool schema that
// api.ToolFunctionParameters does not keep.
func droppedKeywords(raw []byte) []string {
	var root map[string]json.RawMessage
	if json.Unmarshal(raw, &root) != nil {
		return nil
	}
	var lost []string
	for k, v := range root {
		switch k {
		case "type", "required", "items", "$defs", "$schema":
		case "properties":
			lost = append(lost, droppedInProperties(v, "properties")...)
		default:
			lost = append(lost, k)
		}
	}
	slices.Sort(lost)
	return lost
}

func droppedInProperties(raw json.RawMessage, path string) []string {
	var props map[string]json.RawMessage
	if json.Unmarshal(raw, &props) != nil {
		return nil
	}
	var lost []string
	for name, v := range props {
		lost = append(lost, droppedInProperty(v, path+"."+name)...)
	}
	return lost
}

func droppedInProperty(raw json.RawMessage, path string) []string {
	var prop map[string]json.RawMessage
	if json.Unmarshal(raw, &prop) != nil {
		return nil
	}
	var lost []string
	for k, v := range prop {
		switch k {
		case "type", "items", "description", "enum":
		case "properties":
			lost = append(lost, droppedInProperties(v, path+".properties")...)
		case "anyOf":
			var alts []json.RawMessage
			if json.Unmarshal(v, &alts) == nil {
				for i, a := range alts {
					lost = append(lost, droppedInProperty(a, path+".anyOf."+strconv.Itoa(i))...)
				}
			}
		default:
			lost = append(lost, path+"."+k)
		}
	}
	return lost
}

// callArguments decodes the JSON object of a tool call's arguments into
// Ollama's ordered map, keeping the keys' order.
func callArguments(raw json.RawMessage) (api.ToolCallFunctionArguments, error) {
	args := api.NewToolCallFunctionArguments()
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return args, nil
	}
	if raw[0] != '{' {
		return args, fmt.Errorf("arguments are not a JSON object")
	}
	if err := args.UnmarshalJSON(raw); err != nil {
		return args, err
	}
	return args, nil
}

// toolCalls maps the tool calls of an answer. The arguments, an ordered map
// in the api, become a JSON object with the top-level keys in the model's
// order (nested objects are plain maps in the api: their keys come out
// sorted; numbers are float64: integers beyond 2^53 lose precision). A call
// without an ID (servers before IDs existed) gets "call_<n>", n being its
// position in the answer.
func (c *conn) toolCalls(ctx context.Context, in []api.ToolCall) []llm.ToolCall {
	if len(in) == 0 {
		return nil
	}
	out := make([]llm.ToolCall, len(in))
	for i, tc := range in {
		args, err := json.Marshal(tc.Function.Arguments)
		if err != nil { // values decoded from JSON always encode
			args = []byte("{}")
		}
		id := tc.ID
		if id == "" {
			id = "call_" + strconv.Itoa(i)
			c.debug(ctx, "ollama: tool call without an ID; one was made up", slog.String("id", id), slog.String("tool", tc.Function.Name))
		}
		out[i] = llm.ToolCall{ID: id, Name: tc.Function.Name, Arguments: args}
	}
	return out
}

package gemini

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"google.golang.org/genai"

	"github.com/chorus-go/chorus/llm"
)

// Roles of the Gemini API's contents.
const (
	roleUser  = "user"
	roleModel = "model"
)

// request translates an llm.Request: system messages into the system
// instruction, user and assistant messages into user and model contents
// (images as inline data, tool calls as functionCall parts), tool results
// into functionResponse parts of a user content, tools into function
// declarations, the tool choice into a function calling mode, a response
// format into responseMimeType and responseJsonSchema. Bad input is an
// error matching llm.ErrInvalidRequest (or another llm sentinel).
func (m *Model) request(req *llm.Request) ([]*genai.Content, *genai.GenerateContentConfig, error) {
	if err := req.Validate(); err != nil {
		return nil, nil, fmt.Errorf("gemini %s: %w", m.c.model, err)
	}
	invalid := func(format string, args ...any) error {
		return fmt.Errorf("%w: gemini %s: %s", llm.ErrInvalidRequest, m.c.model, fmt.Sprintf(format, args...))
	}
	cfg := &genai.GenerateContentConfig{}
	var (
		contents []*genai.Content
		system   []*genai.Part
		names    = map[string]string{} // tool call ID -> name, for tool results that name no tool
	)
	for i := range req.Messages {
		msg := &req.Messages[i]
		switch msg.Role {
		case llm.RoleSystem:
			for _, p := range msg.Parts {
				if p.Text != "" {
					system = append(system, &genai.Part{Text: p.Text})
				}
			}
		case llm.RoleUser, llm.RoleAssistant:
			role := roleUser
			if msg.Role == llm.RoleAssistant {
				role = roleModel
			}
			c := &genai.Content{Role: role}
			for _, p := range msg.Parts {
				switch {
				case p.Image != nil:
					c.Parts = append(c.Parts, &genai.Part{InlineData: &genai.Blob{MIMEType: p.Image.MIMEType, Data: p.Image.Data}})
				case p.Text != "":
					c.Parts = append(c.Parts, &genai.Part{Text: p.Text})
				}
			}
			for _, tc := range msg.ToolCalls {
				part, err := callPart(tc)
				if err != nil {
					return nil, nil, invalid("message %d: %v", i, err)
				}
				names[tc.ID] = tc.Name
				c.Parts = append(c.Parts, part)
			}
			if len(c.Parts) == 0 {
				return nil, nil, invalid("message %d (%s) has no text, image or tool call", i, msg.Role)
			}
			contents = append(contents, c)
		case llm.RoleTool:
			name := msg.Name
			if name == "" {
				name = names[msg.ToolCallID]
			}
			if name == "" {
				return nil, nil, invalid("message %d is a tool result whose tool is unknown (no Name, and no earlier call with ID %q)", i, msg.ToolCallID)
			}
			id, _ := splitID(msg.ToolCallID)
			part := &genai.Part{FunctionResponse: &genai.FunctionResponse{ID: id, Name: name, Response: toolResponse(msg.Text())}}
			// Results of one turn's calls go together in one user content.
			if n := len(contents); n > 0 && contents[n-1].Role == roleUser && isResponses(contents[n-1]) {
				contents[n-1].Parts = append(contents[n-1].Parts, part)
			} else {
				contents = append(contents, &genai.Content{Role: roleUser, Parts: []*genai.Part{part}})
			}
		}
	}
	if len(contents) == 0 {
		return nil, nil, invalid("the request has only system messages")
	}
	if len(system) > 0 {
		cfg.SystemInstruction = &genai.Content{Parts: system}
	}
	if err := m.tools(req, cfg); err != nil {
		return nil, nil, invalid("%v", err)
	}
	if f := req.Format; f != nil {
		switch f.Type {
		case llm.FormatJSON:
			cfg.ResponseMIMEType = "application/json"
		case llm.FormatJSONSchema:
			cfg.ResponseMIMEType = "application/json"
			cfg.ResponseJsonSchema = json.RawMessage(f.Schema)
		case llm.FormatText, "":
		default:
			return nil, nil, invalid("unknown response format %q", f.Type)
		}
	}
	opts := req.Options.WithDefaults(m.defaults)
	if err := opts.Validate(); err != nil {
		return nil, nil, invalid("%v", err)
	}
	if opts.Temperature != nil {
		cfg.Temperature = genai.Ptr(float32(*opts.Temperature))
	}
	if opts.TopP != nil {
		cfg.TopP = genai.Ptr(float32(*opts.TopP))
	}
	cfg.MaxOutputTokens = int32(min(opts.MaxTokens, 1<<31-1))
	cfg.StopSequences = opts.Stop
	if opts.Seed != nil {
		cfg.Seed = genai.Ptr(int32(*opts.Seed))
	}
	return contents, cfg, nil
}

// tools declares req's tools and translates its tool choice.
func (m *Model) tools(req *llm.Request, cfg *genai.GenerateContentConfig) error {
	if len(req.Tools) == 0 {
		if req.ToolChoice != "" && req.ToolChoice != "auto" && req.ToolChoice != "none" {
			return fmt.Errorf("tool choice %q but no tools", req.ToolChoice)
		}
		return nil
	}
	decls := make([]*genai.FunctionDeclaration, len(req.Tools))
	known := map[string]bool{}
	for i, t := range req.Tools {
		d := &genai.FunctionDeclaration{Name: t.Name, Description: t.Description}
		if len(t.Parameters) > 0 {
			d.ParametersJsonSchema = json.RawMessage(t.Parameters)
		}
		decls[i] = d
		known[t.Name] = true
	}
	cfg.Tools = []*genai.Tool{{FunctionDeclarations: decls}}
	fc := &genai.FunctionCallingConfig{}
	switch req.ToolChoice {
	case "", "auto":
		return nil // AUTO is the API's default
	case "none":
		fc.Mode = genai.FunctionCallingConfigModeNone
	case "required":
		fc.Mode = genai.FunctionCallingConfigModeAny
	default:
		if !known[req.ToolChoice] {
			return fmt.Errorf("tool choice %q names no tool of the request", req.ToolChoice)
		}
		fc.Mode = genai.FunctionCallingConfigModeAny
		fc.AllowedFunctionNames = []string{req.ToolChoice}
	}
	cfg.ToolConfig = &genai.ToolConfig{FunctionCallingConfig: fc}
	return nil
}

// callPart is the functionCall part of an assistant's tool call, with the
// thought signature its ID carries (see splitID).
func callPart(tc llm.ToolCall) (*genai.Part, error) {
	var args map[string]any
	if a := strings.TrimSpace(string(tc.Arguments)); a != "" && a != "null" {
		if err := json.Unmarshal([]byte(a), &args); err != nil {
			return nil, fmt.Errorf("tool call %q: arguments are not a JSON object", tc.Name)
		}
	}
	id, sig := splitID(tc.ID)
	return &genai.Part{FunctionCall: &genai.FunctionCall{ID: id, Name: tc.Name, Args: args}, ThoughtSignature: sig}, nil
}

// toolResponse is a tool's result as the functionResponse's response
// object: a JSON object as it is, anything else under "output", as the
// API documents.
func toolResponse(content string) map[string]any {
	var obj map[string]any
	if json.Unmarshal([]byte(content), &obj) == nil && obj != nil {
		return obj
	}
	var v any
	if json.Unmarshal([]byte(content), &v) == nil {
		return map[string]any{"output": v}
	}
	return map[string]any{"output": content}
}

func isResponses(c *genai.Content) bool {
	for _, p := range c.Parts {
		if p.FunctionResponse == nil {
			return false
		}
	}
	return len(c.Parts) > 0
}

// Thinking models (Gemini 2.5 and later) sign their function calls, and
// want the signature back with the call in the next request. llm.ToolCall
// has no field for it, so the adapter carries it in the call's ID, which
// callers keep and send back anyway: "<id>~sig~<base64url signature>".
const sigSep = "~sig~"

// joinID makes the ToolCall ID of a call with this id and signature.
func joinID(id string, sig []byte) string {
	if len(sig) == 0 {
		return id
	}
	return id + sigSep + base64.RawURLEncoding.EncodeToString(sig)
}

// madeUpID prefixes the IDs the adapter makes up for calls the API sent
// without one; they are not sent back.
const madeUpID = "gemini-call-"

// splitID undoes joinID, giving the id to send back ("" for one the
// adapter made up) and the signature; an ID it did not make is the id.
func splitID(s string) (string, []byte) {
	id, enc, ok := strings.Cut(s, sigSep)
	var sig []byte
	if ok {
		b, err := base64.RawURLEncoding.DecodeString(enc)
		if err != nil {
			id = s
		} else {
			sig = b
		}
	}
	if strings.HasPrefix(id, madeUpID) {
		id = ""
	}
	return id, sig
}

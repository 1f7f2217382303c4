package anthropictest

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
)

// Request is one request the server received, as recorded by
// [Server.Requests] and passed to [Func]. Treat it as read-only.
type Request struct {
	// Method and Path are the HTTP method and URL path ("/v1/messages").
	Method string
	Path   string
	// Header is a copy of the request headers (x-api-key,
	// anthropic-version, Content-Type ...).
	Header http.Header
	// Body is the request body as sent (nil for an empty body).
	Body json.RawMessage
	// Params is the parsed body of a POST /v1/messages, nil otherwise or
	// when the body did not parse.
	Params *Params

	ctx context.Context
}

// Params is the part of a Messages API request body the server reads.
type Params struct {
	Model         string          `json:"model"`
	MaxTokens     int             `json:"max_tokens"`
	Stream        bool            `json:"stream"`
	System        json.RawMessage `json:"system"` // a string or an array of text blocks
	Messages      []Message       `json:"messages"`
	Tools         []Tool          `json:"tools"`
	ToolChoice    *ToolChoice     `json:"tool_choice"`
	StopSequences []string        `json:"stop_sequences"`
	OutputConfig  *struct {
		Format *struct {
			Type   string          `json:"type"`
			Schema json.RawMessage `json:"schema"`
		} `json:"format"`
	} `json:"output_config"`
	Temperature *float64 `json:"temperature"`
}

// Message is one message of a request: its content is a string or an array
// of content blocks; Blocks has it as blocks either way.
type Message struct {
	Role    string          `json:"role"`
	Content json.RawMessage `json:"content"`
	Blocks  []Block         `json:"-"`
}

// Block is a content block of a request (text, image, tool_use,
// tool_result) or of a system prompt.
type Block struct {
	Type         string          `json:"type"`
	Text         string          `json:"text,omitempty"`
	Source       *ImageSource    `json:"source,omitempty"`
	ID           string          `json:"id,omitempty"`
	Name         string          `json:"name,omitempty"`
	Input        json.RawMessage `json:"input,omitempty"`
	ToolUseID    string          `json:"tool_use_id,omitempty"`
	Content      json.RawMessage `json:"content,omitempty"`
	IsError      bool            `json:"is_error,omitempty"`
	CacheControl *CacheControl   `json:"cache_control,omitempty"`
}

// ImageSource is an image block's source.
type ImageSource struct {
	Type      string `json:"type"`
	MediaType string `json:"media_type"`
	Data      string `json:"data"`
}

// CacheControl is a block's or a tool's cache_control.
type CacheControl struct {
	Type string `json:"type"`
	TTL  string `json:"ttl,omitempty"`
}

// Tool is a tool definition of a request.
type Tool struct {
	Name         string          `json:"name"`
	Description  string          `json:"description"`
	InputSchema  json.RawMessage `json:"input_schema"`
	CacheControl *CacheControl   `json:"cache_control"`
}

// ToolChoice is a request's tool_choice.
type ToolChoice struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

// Context is the request's context: done when the client gives up.
func (r *Request) Context() context.Context {
	if r.ctx == nil {
		return context.Background()
	}
	return r.ctx
}

// Stream reports whether the request asked for a streamed (SSE) answer.
func (r *Request) Stream() bool { return r.Params != nil && r.Params.Stream }

// Model is the request's "model".
func (r *Request) Model() string {
	if r.Params == nil {
		return ""
	}
	return r.Params.Model
}

// SystemBlocks is the request's top-level system prompt as text blocks (a
// string system prompt is one block).
func (r *Request) SystemBlocks() []Block {
	if r.Params == nil || len(r.Params.System) == 0 {
		return nil
	}
	var s string
	if json.Unmarshal(r.Params.System, &s) == nil {
		return []Block{{Type: "text", Text: s}}
	}
	var bs []Block
	_ = json.Unmarshal(r.Params.System, &bs)
	return bs
}

// SystemText is the text of the system prompt, its blocks joined by "\n".
func (r *Request) SystemText() string {
	var parts []string
	for _, b := range r.SystemBlocks() {
		parts = append(parts, b.Text)
	}
	return strings.Join(parts, "\n")
}

// Schema is the JSON schema of output_config.format, or nil.
func (r *Request) Schema() json.RawMessage {
	if r.Params == nil || r.Params.OutputConfig == nil || r.Params.OutputConfig.Format == nil {
		return nil
	}
	return r.Params.OutputConfig.Format.Schema
}

// LastUserMessage is the text of the last "user" message that has text
// (its text blocks joined), or "".
func (r *Request) LastUserMessage() string {
	if r.Params == nil {
		return ""
	}
	for i := len(r.Params.Messages) - 1; i >= 0; i-- {
		m := r.Params.Messages[i]
		if m.Role != "user" {
			continue
		}
		var b strings.Builder
		for _, bl := range m.Blocks {
			if bl.Type == "text" {
				b.WriteString(bl.Text)
			}
		}
		if b.Len() > 0 {
			return b.String()
		}
	}
	return ""
}

// parse fills Params. A non-nil *apiError is the 400 the real API would
// answer.
func (r *Request) parse() *apiError {
	var p Params
	if err := json.Unmarshal(r.Body, &p); err != nil {
		return &apiError{Type: "invalid_request_error", Message: "There was an issue with your request body: " + err.Error()}
	}
	r.Params = &p
	for i := range p.Messages {
		m := &p.Messages[i]
		var s string
		if json.Unmarshal(m.Content, &s) == nil {
			m.Blocks = []Block{{Type: "text", Text: s}}
			continue
		}
		if err := json.Unmarshal(m.Content, &m.Blocks); err != nil {
			return &apiError{Type: "invalid_request_error", Message: "messages: content must be a string or a list of content blocks"}
		}
	}
	switch {
	case p.Model == "":
		return &apiError{Type: "invalid_request_error", Message: "model: Field required"}
	case p.MaxTokens < 1:
		return &apiError{Type: "invalid_request_error", Message: "max_tokens: Field required (an integer of at least 1)"}
	case len(p.Messages) == 0:
		return &apiError{Type: "invalid_request_error", Message: "messages: at least one message is required"}
	}
	return nil
}

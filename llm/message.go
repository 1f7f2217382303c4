package llm

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Role is who speaks a message.
type Role string

// The roles a conversation can hold.
const (
	RoleSystem    Role = "system"
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
	RoleTool      Role = "tool"
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	switch r {
	case RoleSystem, RoleUser, RoleAssistant, RoleTool:
		return true
	}
	return false
}

// Part is one piece of a message's content: text, or an image.
type Part struct {
	Text  string
	Image *Image
}

// Image is image bytes with their MIME type (image/png, image/jpeg,
// image/gif or image/webp).
type Image struct {
	MIMEType string
	Data     []byte
}

// Text makes a text part.
func Text(s string) Part { return Part{Text: s} }

// ImagePart makes an image part.
func ImagePart(mimeType string, data []byte) Part {
	return Part{Image: &Image{MIMEType: mimeType, Data: data}}
}

// Message is one turn of a conversation. An assistant message may ask for
// tool calls; a tool message answers the call named by ToolCallID.
type Message struct {
	Role       Role
	Parts      []Part
	ToolCalls  []ToolCall
	ToolCallID string
	Name       string // the tool's name, on a tool message
}

// System makes a system message.
func System(text string) Message { return Message{Role: RoleSystem, Parts: []Part{Text(text)}} }

// User makes a user message of text and images.
func User(text string, images ...Image) Message {
	m := Message{Role: RoleUser}
	if text != "" {
		m.Parts = append(m.Parts, Text(text))
	}
	for i := range images {
		img := images[i]
		m.Parts = append(m.Parts, Part{Image: &img})
	}
	return m
}

// Assistant makes an assistant message.
func Assistant(text string) Message { return Message{Role: RoleAssistant, Parts: []Part{Text(text)}} }

// ToolResult makes the tool message that answers a tool call.
func ToolResult(call ToolCall, content string) Message {
	return Message{Role: RoleTool, ToolCallID: call.ID, Name: call.Name, Parts: []Part{Text(content)}}
}

// Text returns the message's text parts joined together.
func (m Message) Text() string {
	if len(m.Parts) == 1 {
		return m.Parts[0].Text
	}
	var b strings.Builder
	for _, p := range m.Parts {
		b.WriteString(p.Text)
	}
	return b.String()
}

// Images returns the message's images.
func (m Message) Images() []Image {
	var out []Image
	for _, p := range m.Parts {
		if p.Image != nil {
			out = append(out, *p.Image)
		}
	}
	return out
}

// Tool describes a function the model may call. Parameters is the JSON
// Schema of its arguments object.
type Tool struct {
	Name        string
	Description string
	Parameters  json.RawMessage
}

// ToolCall is the model's request to call a tool. ID pairs it with its
// result (providers without IDs get one made up by the adapter).
type ToolCall struct {
	ID        string
	Name      string
	Arguments json.RawMessage
}

// supportedImageTypes are the image types every adapter accepts.
var supportedImageTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true}

// Validate checks a request's messages before it is sent: at least one
// message, known roles, content where content is needed, supported image
// types, tool results that name their call. Adapters call it first.
func (r *Request) Validate() error {
	if len(r.Messages) == 0 {
		return ErrNoMessages
	}
	for i, m := range r.Messages {
		if !m.Role.Valid() {
			return fmt.Errorf("%w: message %d has role %q", ErrUnknownRole, i, m.Role)
		}
		if m.Role == RoleTool && m.ToolCallID == "" && m.Name == "" {
			return fmt.Errorf("%w: message %d is a tool result with no tool call ID or name", ErrInvalidRequest, i)
		}
		if len(m.Parts) == 0 && len(m.ToolCalls) == 0 {
			return fmt.Errorf("%w: message %d (%s) is empty", ErrInvalidRequest, i, m.Role)
		}
		for j, p := range m.Parts {
			if p.Image == nil {
				continue
			}
			if !supportedImageTypes[p.Image.MIMEType] {
				return fmt.Errorf("%w: message %d part %d is %q (want image/png, image/jpeg, image/gif or image/webp)", ErrUnsupportedImage, i, j, p.Image.MIMEType)
			}
			if len(p.Image.Data) == 0 {
				return fmt.Errorf("%w: message %d part %d is an empty image", ErrUnsupportedImage, i, j)
			}
			if m.Role != RoleUser {
				return fmt.Errorf("%w: message %d: images are only allowed in user messages", ErrInvalidRequest, i)
			}
		}
	}
	for i, t := range r.Tools {
		if t.Name == "" {
			return fmt.Errorf("%w: tool %d has no name", ErrInvalidRequest, i)
		}
		if len(t.Parameters) > 0 && !json.Valid(t.Parameters) {
			return fmt.Errorf("%w: tool %q parameters are not valid JSON", ErrInvalidRequest, t.Name)
		}
	}
	if f := r.Format; f != nil && f.Type == FormatJSONSchema && !json.Valid(f.Schema) {
		return fmt.Errorf("%w: response format schema is not valid JSON", ErrInvalidRequest)
	}
	return nil
}

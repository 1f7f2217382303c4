package pgmemory

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/chorus-go/chorus/llm"
)

// The JSON shape of a stored message. Text and tool-call arguments that
// JSONB cannot hold exactly (NUL, invalid UTF-8) go to the *_b64 fields;
// tool-call arguments are kept as a string, so arguments that are not
// valid JSON (a model's mistake) are stored too.
type wireMessage struct {
	Role       string     `json:"role"`
	Parts      []wirePart `json:"parts,omitempty"`
	ToolCalls  []wireCall `json:"tool_calls,omitempty"`
	ToolCallID string     `json:"tool_call_id,omitempty"`
	Name       string     `json:"name,omitempty"`
}

type wirePart struct {
	Text   string     `json:"text,omitempty"`
	Text64 []byte     `json:"text_b64,omitempty"`
	Image  *wireImage `json:"image,omitempty"`
}

type wireImage struct {
	MIMEType string `json:"mime_type"`
	Data     []byte `json:"data"`
}

type wireCall struct {
	ID     string `json:"id,omitempty"`
	Name   string `json:"name,omitempty"`
	Args   string `json:"arguments,omitempty"`
	Args64 []byte `json:"arguments_b64,omitempty"`
}

// jsonbSafe reports whether JSONB stores s exactly: valid UTF-8 without NUL.
func jsonbSafe(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// encode returns the JSON of m. Names, IDs, roles and MIME types must be
// JSONB-safe text; images must not be larger than maxImage bytes.
func encode(m llm.Message, maxImage int) ([]byte, error) {
	w := wireMessage{Role: string(m.Role), ToolCallID: m.ToolCallID, Name: m.Name}
	if !jsonbSafe(w.Role) || !jsonbSafe(w.ToolCallID) || !jsonbSafe(w.Name) {
		return nil, fmt.Errorf("%w: the role, name or tool call ID is not valid UTF-8 text without NUL", ErrUnencodable)
	}
	if m.Parts != nil {
		w.Parts = make([]wirePart, len(m.Parts))
	}
	for i, p := range m.Parts {
		if jsonbSafe(p.Text) {
			w.Parts[i].Text = p.Text
		} else {
			w.Parts[i].Text64 = []byte(p.Text)
		}
		if p.Image != nil {
			if len(p.Image.Data) > maxImage {
				return nil, fmt.Errorf("%w: part %d is %d bytes, the limit is %d", ErrImageTooLarge, i, len(p.Image.Data), maxImage)
			}
			if !jsonbSafe(p.Image.MIMEType) {
				return nil, fmt.Errorf("%w: part %d's MIME type is not valid UTF-8 text without NUL", ErrUnencodable, i)
			}
			w.Parts[i].Image = &wireImage{MIMEType: p.Image.MIMEType, Data: p.Image.Data}
		}
	}
	if m.ToolCalls != nil {
		w.ToolCalls = make([]wireCall, len(m.ToolCalls))
	}
	for i, c := range m.ToolCalls {
		if !jsonbSafe(c.ID) || !jsonbSafe(c.Name) {
			return nil, fmt.Errorf("%w: tool call %d's ID or name is not valid UTF-8 text without NUL", ErrUnencodable, i)
		}
		w.ToolCalls[i] = wireCall{ID: c.ID, Name: c.Name}
		if args := string(c.Arguments); jsonbSafe(args) {
			w.ToolCalls[i].Args = args
		} else {
			w.ToolCalls[i].Args64 = c.Arguments
		}
	}
	return json.Marshal(w)
}

// decode turns stored JSON back into a message.
func decode(data []byte) (llm.Message, error) {
	var w wireMessage
	if err := json.Unmarshal(data, &w); err != nil {
		return llm.Message{}, err
	}
	m := llm.Message{Role: llm.Role(w.Role), ToolCallID: w.ToolCallID, Name: w.Name}
	if w.Parts != nil {
		m.Parts = make([]llm.Part, len(w.Parts))
	}
	for i, p := range w.Parts {
		m.Parts[i].Text = p.Text
		if p.Text64 != nil {
			m.Parts[i].Text = string(p.Text64)
		}
		if p.Image != nil {
			m.Parts[i].Image = &llm.Image{MIMEType: p.Image.MIMEType, Data: p.Image.Data}
		}
	}
	if w.ToolCalls != nil {
		m.ToolCalls = make([]llm.ToolCall, len(w.ToolCalls))
	}
	for i, c := range w.ToolCalls {
		m.ToolCalls[i] = llm.ToolCall{ID: c.ID, Name: c.Name}
		switch {
		case c.Args64 != nil:
			m.ToolCalls[i].Arguments = c.Args64
		case c.Args != "":
			m.ToolCalls[i].Arguments = json.RawMessage(c.Args)
		}
	}
	return m, nil
}

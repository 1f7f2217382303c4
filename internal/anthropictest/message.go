package anthropictest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// wireMessage is the body of a non-streamed answer, and the "message" of a
// stream's message_start event.
type wireMessage struct {
	ID           string      `json:"id"`
	Type         string      `json:"type"`
	Role         string      `json:"role"`
	Model        string      `json:"model"`
	Content      []wireBlock `json:"content"`
	StopReason   *string     `json:"stop_reason"`
	StopSequence *string     `json:"stop_sequence"`
	Usage        Usage       `json:"usage"`
}

type wireBlock struct {
	Type  string          `json:"type"`
	Text  *string         `json:"text,omitempty"`
	ID    string          `json:"id,omitempty"`
	Name  string          `json:"name,omitempty"`
	Input json.RawMessage `json:"input,omitempty"`
}

// answer is a message reply made concrete for one request: ids assigned,
// usage computed.
type answer struct {
	id    string
	model string
	reply Reply
	calls []ToolCall
	usage Usage
	chunk int
}

func (s *Server) newAnswer(req *Request, reply Reply) *answer {
	n := s.ids.Add(1)
	a := &answer{
		id:    fmt.Sprintf("msg_anthropictest%d", n),
		model: req.Model(),
		reply: reply,
		calls: append([]ToolCall(nil), reply.toolCalls...),
		chunk: s.cfg.chunkSize,
	}
	if reply.chunkSize > 0 {
		a.chunk = reply.chunkSize
	}
	for i := range a.calls {
		if a.calls[i].ID == "" {
			a.calls[i].ID = fmt.Sprintf("toolu_anthropictest%d_%d", n, i)
		}
	}
	if reply.usage != nil {
		a.usage = *reply.usage
	} else {
		a.usage.InputTokens = inputTokens(req)
		out := estimateTokens(reply.text)
		for _, c := range reply.toolCalls {
			out += estimateTokens(c.Name) + estimateTokens(c.Input)
		}
		a.usage.OutputTokens = max(out, 1)
	}
	return a
}

func inputTokens(req *Request) int {
	n := 0
	if req.Params != nil {
		for _, m := range req.Params.Messages {
			for _, b := range m.Blocks {
				n += estimateTokens(b.Text) + 3
			}
		}
	}
	return max(n, 1)
}

// estimateTokens is the usual rule of thumb: about 4 characters a token.
func estimateTokens(s string) int { return (utf8.RuneCountInString(s) + 3) / 4 }

// blocks are the answer's content blocks: the text, if any, then one
// tool_use block per call.
func (a *answer) blocks() []wireBlock {
	var out []wireBlock
	if a.reply.text != "" || len(a.calls) == 0 {
		t := a.reply.text
		out = append(out, wireBlock{Type: "text", Text: &t})
	}
	for _, c := range a.calls {
		in := json.RawMessage(c.Input)
		if c.Input == "" {
			in = json.RawMessage("{}")
		}
		out = append(out, wireBlock{Type: "tool_use", ID: c.ID, Name: c.Name, Input: in})
	}
	return out
}

// message is the non-streamed body.
func (a *answer) message() wireMessage {
	stop := a.reply.stopReason
	return wireMessage{
		ID: a.id, Type: "message", Role: "assistant", Model: a.model,
		Content: a.blocks(), StopReason: &stop, Usage: a.usage,
	}
}

// serveMessage answers with a message, cut, stall or stream-error reply.
func (s *Server) serveMessage(w http.ResponseWriter, r *http.Request, req *Request, reply Reply) {
	if req.Stream() {
		s.streamMessage(w, r, req, reply)
		return
	}
	switch reply.kind {
	case kindMessage:
		writeJSON(w, http.StatusOK, s.newAnswer(req, reply).message())
	case kindCut:
		b, _ := json.Marshal(s.newAnswer(req, Text(reply.text)).message())
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(b[:len(b)/2])
		_ = http.NewResponseController(w).Flush()
		panic(http.ErrAbortHandler) // net/http closes the connection, without logging
	case kindStall:
		s.wait(r.Context())
	case kindStreamError:
		writeError(w, reply.status, reply.apiErr)
	}
}

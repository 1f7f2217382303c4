package anthropictest

import (
	"encoding/json"
	"io"
	"net/http"
)

// sseWriter writes "event: ...\ndata: ...\n\n" events and flushes each;
// after the first write error (the client went away) it writes nothing more.
type sseWriter struct {
	w   http.ResponseWriter
	rc  *http.ResponseController
	err error
}

func (e *sseWriter) event(name string, v any) bool {
	if e.err != nil {
		return false
	}
	b, err := json.Marshal(v)
	if err != nil {
		e.err = err
		return false
	}
	if _, e.err = io.WriteString(e.w, "event: "+name+"\ndata: "+string(b)+"\n\n"); e.err == nil {
		e.err = e.rc.Flush()
	}
	return e.err == nil
}

type streamEvent struct {
	Type         string       `json:"type"`
	Message      *wireMessage `json:"message,omitempty"`
	Index        *int         `json:"index,omitempty"`
	ContentBlock *wireBlock   `json:"content_block,omitempty"`
	Delta        any          `json:"delta,omitempty"`
	Usage        *deltaUsage  `json:"usage,omitempty"`
	Error        *apiError    `json:"error,omitempty"`
}

type textDelta struct {
	Type string `json:"type"`
	Text string `json:"text,omitempty"`
	// PartialJSON is always sent for input_json_delta, even empty.
	PartialJSON *string `json:"partial_json,omitempty"`
}

type messageDelta struct {
	StopReason   string  `json:"stop_reason"`
	StopSequence *string `json:"stop_sequence"`
}

type deltaUsage struct {
	OutputTokens int `json:"output_tokens"`
}

// streamMessage answers a "stream": true request with Server-Sent Events, in
// the documented order: message_start, ping, then for each content block
// content_block_start, its deltas and content_block_stop, then
// message_delta and message_stop.
func (s *Server) streamMessage(w http.ResponseWriter, r *http.Request, req *Request, reply Reply) {
	a := s.newAnswer(req, reply)
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	sse := &sseWriter{w: w, rc: http.NewResponseController(w)}

	start := a.message()
	start.Content = []wireBlock{}
	start.StopReason = nil
	start.Usage.OutputTokens = 1
	if !sse.event("message_start", streamEvent{Type: "message_start", Message: &start}) ||
		!sse.event("ping", streamEvent{Type: "ping"}) {
		return
	}
	index := 0
	if reply.kind != kindMessage || reply.text != "" || len(a.calls) == 0 {
		empty := ""
		i := index
		if !sse.event("content_block_start", streamEvent{Type: "content_block_start", Index: &i, ContentBlock: &wireBlock{Type: "text", Text: &empty}}) {
			return
		}
		for _, p := range split(reply.text, a.chunk) {
			if !sse.event("content_block_delta", streamEvent{Type: "content_block_delta", Index: &i, Delta: textDelta{Type: "text_delta", Text: p}}) {
				return
			}
		}
		switch reply.kind {
		case kindCut:
			panic(http.ErrAbortHandler) // net/http closes the connection, without logging
		case kindStall:
			s.wait(r.Context())
			return
		case kindStreamError:
			sse.event("error", errorBody{Type: "error", Error: reply.apiErr})
			return
		}
		if !sse.event("content_block_stop", streamEvent{Type: "content_block_stop", Index: &i}) {
			return
		}
		index++
	}
	for _, c := range a.calls {
		i := index
		if !sse.event("content_block_start", streamEvent{Type: "content_block_start", Index: &i,
			ContentBlock: &wireBlock{Type: "tool_use", ID: c.ID, Name: c.Name, Input: json.RawMessage("{}")}}) {
			return
		}
		pieces := split(c.Input, a.chunk)
		if len(pieces) == 0 {
			pieces = []string{""}
		}
		for _, p := range pieces {
			if !sse.event("content_block_delta", streamEvent{Type: "content_block_delta", Index: &i, Delta: textDelta{Type: "input_json_delta", PartialJSON: &p}}) {
				return
			}
		}
		if !sse.event("content_block_stop", streamEvent{Type: "content_block_stop", Index: &i}) {
			return
		}
		index++
	}
	if !sse.event("message_delta", streamEvent{Type: "message_delta", Delta: messageDelta{StopReason: reply.stopReason},
		Usage: &deltaUsage{OutputTokens: a.usage.OutputTokens}}) {
		return
	}
	sse.event("message_stop", streamEvent{Type: "message_stop"})
}

// split cuts s into pieces of n runes (the last may be shorter).
func split(s string, n int) []string {
	if n < 1 {
		n = 1
	}
	var out []string
	rs := []rune(s)
	for len(rs) > 0 {
		k := min(n, len(rs))
		out = append(out, string(rs[:k]))
		rs = rs[k:]
	}
	return out
}

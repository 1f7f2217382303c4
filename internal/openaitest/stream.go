package openaitest

import (
	"encoding/json"
	"io"
	"net/http"
)

// chunk is one "chat.completion.chunk" event of a streamed chat completion.
type chunk struct {
	ID                string        `json:"id"`
	Object            string        `json:"object"`
	Created           int64         `json:"created"`
	Model             string        `json:"model"`
	ServiceTier       string        `json:"service_tier"`
	SystemFingerprint string        `json:"system_fingerprint"`
	Choices           []chunkChoice `json:"choices"`
	// Usage is absent without stream_options.include_usage; with it, null in
	// every chunk but the last, which has the usage and no choices.
	Usage any `json:"usage,omitempty"`
}

type chunkChoice struct {
	Index        int     `json:"index"`
	Delta        delta   `json:"delta"`
	Logprobs     any     `json:"logprobs"` // always null
	FinishReason *string `json:"finish_reason"`
}

// delta fields are raw JSON so that they can be absent, null or a string,
// as in the real API.
type delta struct {
	Role      string          `json:"role,omitempty"`
	Content   json.RawMessage `json:"content,omitempty"`
	Refusal   json.RawMessage `json:"refusal,omitempty"`
	ToolCalls []deltaToolCall `json:"tool_calls,omitempty"`
}

type deltaToolCall struct {
	Index    int           `json:"index"`
	ID       string        `json:"id,omitempty"`
	Type     string        `json:"type,omitempty"`
	Function deltaFunction `json:"function"`
}

type deltaFunction struct {
	Name      string `json:"name,omitempty"`
	Arguments string `json:"arguments"`
}

var jsonNull = json.RawMessage("null")

func jsonString(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}

// sseWriter writes "data: ...\n\n" events and flushes each; after the first
// write error (the client went away) it writes nothing more.
type sseWriter struct {
	w   http.ResponseWriter
	rc  *http.ResponseController
	err error
}

func (e *sseWriter) data(b []byte) bool {
	if e.err != nil {
		return false
	}
	if _, e.err = io.WriteString(e.w, "data: "+string(b)+"\n\n"); e.err == nil {
		e.err = e.rc.Flush()
	}
	return e.err == nil
}

func (e *sseWriter) event(v any) bool {
	b, err := json.Marshal(v)
	if err != nil {
		e.err = err
		return false
	}
	return e.data(b)
}

// streamChat answers a stream=true chat request with Server-Sent Events.
func (s *Server) streamChat(w http.ResponseWriter, r *http.Request, req *Request, reply Reply) {
	a := s.newChatAnswer(req, reply)
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	sse := &sseWriter{w: w, rc: http.NewResponseController(w)}
	includeUsage := req.IncludeUsage()
	send := func(d delta, finish *string) bool {
		c := chunk{
			ID: a.id, Object: "chat.completion.chunk", Created: a.created, Model: a.model,
			ServiceTier: "default", SystemFingerprint: systemFingerprint,
			Choices: []chunkChoice{{Delta: d, FinishReason: finish}},
		}
		if includeUsage {
			c.Usage = jsonNull
		}
		return sse.event(c)
	}

	// The first delta carries the role; for a tool-call-only answer it also
	// carries the first call's header, as the real API does.
	first := delta{Role: "assistant", Content: jsonString(""), Refusal: jsonNull}
	firstCallSent := false
	switch {
	case reply.kind != kindChat:
	case reply.refusal != "":
		first.Content, first.Refusal = jsonNull, jsonString("")
	case reply.content == "" && len(a.calls) > 0:
		first.Content = jsonNull
		first.ToolCalls = []deltaToolCall{callHeader(0, a.calls[0])}
		firstCallSent = true
	}
	if !send(first, nil) {
		return
	}
	for _, p := range split(reply.content, a.chunk) {
		if !send(delta{Content: jsonString(p)}, nil) {
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
		sse.event(errorBody{Error: reply.apiErr})
		return
	}

	for _, p := range split(reply.refusal, a.chunk) {
		if !send(delta{Refusal: jsonString(p)}, nil) {
			return
		}
	}
	for i, c := range a.calls {
		if i > 0 || !firstCallSent {
			if !send(delta{ToolCalls: []deltaToolCall{callHeader(i, c)}}, nil) {
				return
			}
		}
		for _, p := range split(c.Arguments, a.chunk) {
			frag := deltaToolCall{Index: i, Function: deltaFunction{Arguments: p}}
			if !send(delta{ToolCalls: []deltaToolCall{frag}}, nil) {
				return
			}
		}
	}
	finish := reply.finish
	if !send(delta{}, &finish) {
		return
	}
	if includeUsage {
		c := chunk{
			ID: a.id, Object: "chat.completion.chunk", Created: a.created, Model: a.model,
			ServiceTier: "default", SystemFingerprint: systemFingerprint,
			Choices: []chunkChoice{}, Usage: a.usage,
		}
		if !sse.event(c) {
			return
		}
	}
	sse.data([]byte("[DONE]"))
}

// callHeader is the first delta of a tool call: index, id, type, name and
// empty arguments.
func callHeader(i int, c ToolCall) deltaToolCall {
	return deltaToolCall{Index: i, ID: c.ID, Type: "function", Function: deltaFunction{Name: c.Name}}
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

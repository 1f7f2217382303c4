package geminitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// serveGenerate answers generateContent with one JSON body and
// streamGenerateContent with server-sent events.
func (s *Server) serveGenerate(w http.ResponseWriter, r *http.Request, req *Request, reply Reply) {
	if !req.Streaming() {
		switch reply.kind {
		case kindStall:
			s.wait(r.Context())
		case kindStreamError:
			e := *reply.apiErr
			writeError(w, &e)
		case kindCut:
			b, _ := json.Marshal(s.whole(req, Text(reply.text)))
			writeCut(w, b)
		default:
			writeJSON(w, http.StatusOK, s.whole(req, reply))
		}
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	send := func(v any) bool {
		b, _ := json.Marshal(v)
		if _, err := fmt.Fprintf(w, "data: %s\r\n\r\n", b); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	chunks := s.chunks(req, reply)
	switch reply.kind {
	case kindGenerate:
		for _, c := range chunks {
			if !send(c) {
				return
			}
		}
	case kindCut:
		for _, c := range chunks[:len(chunks)-1] {
			if !send(c) {
				return
			}
		}
		panic(http.ErrAbortHandler)
	case kindStall:
		for _, c := range chunks[:len(chunks)-1] {
			if !send(c) {
				return
			}
		}
		s.wait(r.Context())
	case kindStreamError:
		for _, c := range chunks[:len(chunks)-1] {
			if !send(c) {
				return
			}
		}
		e := *reply.apiErr
		send(errorBody{Error: &e})
	}
}

// usage is the reply's usage metadata, estimated when it set none.
func (s *Server) usage(req *Request, reply Reply) *usageMetadata {
	if reply.usage != nil {
		u := *reply.usage
		return &u
	}
	prompt := 0
	if req.Generate != nil {
		b, _ := json.Marshal(req.Generate.Contents)
		prompt = estimateTokens(string(b))
	}
	out := estimateTokens(reply.text)
	for _, c := range reply.calls {
		out += estimateTokens(c.Name + c.Args)
	}
	return &usageMetadata{PromptTokenCount: prompt, CandidatesTokenCount: out, TotalTokenCount: prompt + out}
}

func (s *Server) responseID() string { return fmt.Sprintf("resp-%d", s.ids.Add(1)) }

// whole is the body of a generateContent answer.
func (s *Server) whole(req *Request, reply Reply) generateResponse {
	resp := generateResponse{UsageMetadata: s.usage(req, reply), ModelVersion: req.Model, ResponseID: s.responseID()}
	if reply.block != "" {
		resp.PromptFeedback = &promptFeedback{BlockReason: reply.block, SafetyRatings: reply.ratings}
		resp.UsageMetadata.CandidatesTokenCount = 0
		resp.UsageMetadata.TotalTokenCount = resp.UsageMetadata.PromptTokenCount
		return resp
	}
	content := &Content{Role: "model", Parts: []Part{}}
	if reply.text != "" {
		content.Parts = append(content.Parts, Part{Text: reply.text})
	}
	for _, c := range reply.calls {
		content.Parts = append(content.Parts, callPart(c))
	}
	resp.Candidates = []candidate{{Content: content, FinishReason: reply.finish, SafetyRatings: reply.ratings}}
	return resp
}

// chunks are the events of a streamed answer: the text in pieces, each
// function call whole, and the finish reason and usage on the last.
func (s *Server) chunks(req *Request, reply Reply) []generateResponse {
	id := s.responseID()
	if reply.block != "" {
		w := s.whole(req, reply)
		w.ResponseID = id
		return []generateResponse{w}
	}
	size := reply.chunkSize
	if size == 0 {
		size = s.cfg.chunkSize
	}
	var parts [][]Part
	for _, piece := range split(reply.text, size) {
		parts = append(parts, []Part{{Text: piece}})
	}
	for _, c := range reply.calls {
		parts = append(parts, []Part{callPart(c)})
	}
	if len(parts) == 0 {
		parts = append(parts, []Part{{Text: ""}})
	}
	out := make([]generateResponse, len(parts))
	u := s.usage(req, reply)
	for i, p := range parts {
		out[i] = generateResponse{ModelVersion: req.Model, ResponseID: id,
			Candidates:    []candidate{{Content: &Content{Role: "model", Parts: p}}},
			UsageMetadata: &usageMetadata{PromptTokenCount: u.PromptTokenCount, TotalTokenCount: u.PromptTokenCount}}
	}
	last := &out[len(out)-1]
	last.Candidates[0].FinishReason = reply.finish
	last.Candidates[0].SafetyRatings = reply.ratings
	last.UsageMetadata = u
	return out
}

func callPart(c Call) Part {
	args := json.RawMessage(c.Args)
	if strings.TrimSpace(c.Args) == "" {
		args = nil
	}
	return Part{FunctionCall: &FunctionCall{ID: c.ID, Name: c.Name, Args: args}, ThoughtSignature: c.ThoughtSignature}
}

// split cuts s into pieces of n runes; "" gives no piece.
func split(s string, n int) []string {
	var out []string
	r := []rune(s)
	for len(r) > 0 {
		k := min(n, len(r))
		out = append(out, string(r[:k]))
		r = r[k:]
	}
	return out
}

package ollamatest

import (
	"net/http"
	"time"

	"github.com/ollama/ollama/api"
)

// echo is the built-in default for generation: the prompt, echoed back.
func echo(rec Request) Reply { return Text(rec.Prompt()) }

// generationDefaults returns the default handlers for chat and generate.
func (s *Server) generationDefaults() []func(Request) Reply {
	if s.cfg.def != nil {
		return []func(Request) Reply{s.cfg.def, echo}
	}
	return []func(Request) Reply{echo}
}

// validTopLogprobs reports Ollama's top_logprobs bound.
func validTopLogprobs(n int) bool { return n >= 0 && n <= 20 }

// loadReason returns Ollama's done_reason for a request without input:
// "unload" with keep_alive 0, else "load".
func loadReason(keepAlive *api.Duration) string {
	if keepAlive != nil && keepAlive.Duration == 0 {
		return "unload"
	}
	return "load"
}

// serveChat answers POST /api/chat.
func (s *Server) serveChat(w http.ResponseWriter, r *http.Request, rec Request) {
	req := rec.Chat
	switch {
	case rec.DecodeError != nil:
		writeDecodeError(w, rec.DecodeError)
		return
	case !validTopLogprobs(req.TopLogprobs):
		writeError(w, http.StatusBadRequest, "top_logprobs must be between 0 and 20")
		return
	case req.Model == "":
		writeError(w, http.StatusBadRequest, "model is required")
		return
	case !s.isInstalled(req.Model):
		writeError(w, http.StatusNotFound, notFound(req.Model))
		return
	case len(req.Messages) == 0:
		writeJSON(w, http.StatusOK, api.ChatResponse{
			Model:      req.Model,
			CreatedAt:  time.Now().UTC(),
			Message:    api.Message{Role: "assistant"},
			Done:       true,
			DoneReason: loadReason(req.KeepAlive),
		})
		return
	}

	rep := resolve(s.next(&s.queue), rec, s.generationDefaults()...)
	if !s.start(w, r, rep) || s.serveStatusReply(w, r, rep) {
		return
	}

	var prompt []string
	for _, m := range req.Messages {
		prompt = append(prompt, m.Content)
	}
	m := s.prepare(rep, words(prompt...))
	now := func() time.Time { return time.Now().UTC() }
	chunk := func(msg api.Message) api.ChatResponse {
		msg.Role = "assistant"
		return api.ChatResponse{Model: req.Model, CreatedAt: now(), Message: msg}
	}

	var chunks []any
	for _, t := range m.thinking {
		chunks = append(chunks, chunk(api.Message{Thinking: t}))
	}
	for _, c := range m.content {
		chunks = append(chunks, chunk(api.Message{Content: c}))
	}
	if len(m.toolCalls) > 0 {
		chunks = append(chunks, chunk(api.Message{ToolCalls: m.toolCalls}))
	}
	final := chunk(api.Message{})
	final.Done, final.DoneReason, final.Metrics = true, m.reason, m.metrics

	whole := chunk(api.Message{Content: rep.content, Thinking: rep.thinking, ToolCalls: m.toolCalls})
	whole.Done, whole.DoneReason, whole.Metrics = true, m.reason, m.metrics

	s.serveMessage(w, r, rep, rec.Streaming(), chunks, final, whole)
}

package ollamatest

import (
	"hash/fnv"
	"net/http"
	"strings"
	"time"

	"github.com/ollama/ollama/api"
)

// serveGenerate answers POST /api/generate.
func (s *Server) serveGenerate(w http.ResponseWriter, r *http.Request, rec Request) {
	req := rec.Generate
	switch {
	case rec.DecodeError != nil:
		writeDecodeError(w, rec.DecodeError)
		return
	case !validTopLogprobs(req.TopLogprobs):
		writeError(w, http.StatusBadRequest, "top_logprobs must be between 0 and 20")
		return
	case req.Model == "" || !s.isInstalled(req.Model):
		// Ollama reports an empty name as an unknown model here.
		writeError(w, http.StatusNotFound, notFound(req.Model))
		return
	case req.Raw && (req.Template != "" || req.System != "" || len(req.Context) > 0):
		writeError(w, http.StatusBadRequest, "raw mode does not support template, system, or context")
		return
	case req.Prompt == "":
		writeJSON(w, http.StatusOK, api.GenerateResponse{
			Model:      req.Model,
			CreatedAt:  time.Now().UTC(),
			Done:       true,
			DoneReason: loadReason(req.KeepAlive),
		})
		return
	}

	rep := resolve(s.next(&s.queue), rec, s.generationDefaults()...)
	if !s.start(w, r, rep) || s.serveStatusReply(w, r, rep) {
		return
	}

	m := s.prepare(rep, words(req.System, req.Prompt))
	chunk := func() api.GenerateResponse {
		return api.GenerateResponse{Model: req.Model, CreatedAt: time.Now().UTC()}
	}
	var chunks []any
	for _, t := range m.thinking {
		c := chunk()
		c.Thinking = t
		chunks = append(chunks, c)
	}
	for _, t := range m.content {
		c := chunk()
		c.Response = t
		chunks = append(chunks, c)
	}
	var conversation []int
	if !req.Raw {
		conversation = tokens(req.Prompt + " " + rep.content)
	}
	// Ollama's generate sends tool calls with the final object.
	final := chunk()
	final.Done, final.DoneReason, final.Metrics = true, m.reason, m.metrics
	final.Context, final.ToolCalls = conversation, m.toolCalls

	whole := final
	whole.Response, whole.Thinking = rep.content, rep.thinking

	s.serveMessage(w, r, rep, rec.Streaming(), chunks, final, whole)
}

// tokens makes up deterministic token IDs for the "context" of a generate
// response: one per word.
func tokens(text string) []int {
	var out []int
	for _, w := range strings.Fields(text) {
		h := fnv.New32a()
		h.Write([]byte(w))
		out = append(out, int(h.Sum32()%32000))
	}
	return out
}

package ollamatest

import (
	"hash/fnv"
	"math"
	"net/http"
	"slices"

	"github.com/ollama/ollama/api"
)

// embedReply takes and resolves the next embedding reply; it reports false
// when the reply has been answered (an error, a hang, a cut) and no vectors
// are to be sent.
func (s *Server) embedReply(w http.ResponseWriter, r *http.Request, rec Request) bool {
	rep := resolve(s.next(&s.embedQueue), rec)
	if !s.start(w, r, rep) || s.serveStatusReply(w, r, rep) {
		return false
	}
	switch {
	case rep.kind == kindDefault:
		return true
	case rep.kind == kindMessage && rep.end == endCut:
		panic(http.ErrAbortHandler)
	}
	s.t.Errorf("ollamatest: a message reply was scripted for %s; use Default, Error, Raw, Hang, Cut or Func", rec.Path)
	writeError(w, http.StatusInternalServerError, "ollamatest: message reply scripted for an embedding request")
	return false
}

// serveEmbed answers POST /api/embed.
func (s *Server) serveEmbed(w http.ResponseWriter, r *http.Request, rec Request) {
	req := rec.Embed
	if rec.DecodeError != nil {
		writeDecodeError(w, rec.DecodeError)
		return
	}
	inputs, ok := embedInputs(req.Input)
	switch {
	case !ok:
		writeError(w, http.StatusBadRequest, "invalid input type")
		return
	case req.Model == "":
		writeError(w, http.StatusBadRequest, "model is required")
		return
	case !s.isInstalled(req.Model):
		writeError(w, http.StatusNotFound, notFoundPull(req.Model))
		return
	}
	if !s.embedReply(w, r, rec) {
		return
	}
	if len(inputs) == 0 {
		writeJSON(w, http.StatusOK, api.EmbedResponse{Model: req.Model, Embeddings: [][]float32{}})
		return
	}
	out := make([][]float32, len(inputs))
	for i, in := range inputs {
		v := normalize(s.vector(req.Model, in))
		if req.Dimensions > 0 && req.Dimensions < len(v) {
			v = normalize(v[:req.Dimensions])
		}
		out[i] = v
	}
	m := usage(max(words(inputs...), 1), 0)
	writeJSON(w, http.StatusOK, api.EmbedResponse{
		Model:           req.Model,
		Embeddings:      out,
		TotalDuration:   m.LoadDuration + m.PromptEvalDuration,
		LoadDuration:    m.LoadDuration,
		PromptEvalCount: m.PromptEvalCount,
	})
}

// serveEmbeddings answers the legacy POST /api/embeddings.
func (s *Server) serveEmbeddings(w http.ResponseWriter, r *http.Request, rec Request) {
	req := rec.Embeddings
	switch {
	case rec.DecodeError != nil:
		writeDecodeError(w, rec.DecodeError)
		return
	case req.Model == "":
		writeError(w, http.StatusBadRequest, "model is required")
		return
	case !s.isInstalled(req.Model):
		writeError(w, http.StatusNotFound, notFoundPull(req.Model))
		return
	}
	if !s.embedReply(w, r, rec) {
		return
	}
	resp := api.EmbeddingResponse{Embedding: []float64{}}
	if req.Prompt != "" {
		for _, x := range s.vector(req.Model, req.Prompt) {
			resp.Embedding = append(resp.Embedding, float64(x))
		}
	}
	writeJSON(w, http.StatusOK, resp)
}

// vector returns the raw embedding of one input.
func (s *Server) vector(model, input string) []float32 {
	if s.cfg.embedder != nil {
		return slices.Clone(s.cfg.embedder(model, input))
	}
	return HashVector(input, s.cfg.embedDim)
}

// HashVector returns the server's default embedding of input: dim values
// drawn from a generator seeded by a hash of input, scaled to unit length.
// The same input always gives the same vector, so tests can compute the
// expected embedding.
func HashVector(input string, dim int) []float32 {
	h := fnv.New64a()
	h.Write([]byte(input))
	state := h.Sum64()
	v := make([]float32, max(dim, 0))
	for i := range v {
		// splitmix64
		state += 0x9e3779b97f4a7c15
		z := state
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		z ^= z >> 31
		v[i] = float32(int64(z>>11))/float32(1<<52) - 1 // in [-1, 1)
	}
	return normalize(v)
}

// normalize scales v to unit length in place, as Ollama does.
func normalize(v []float32) []float32 {
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	norm := float32(1 / max(math.Sqrt(sum), 1e-12))
	for i := range v {
		v[i] *= norm
	}
	return v
}

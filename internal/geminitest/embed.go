package geminitest

import (
	"net/http"

	"github.com/chorus-go/chorus/llm/llmtest"
)

// Embed is the vector the default embeddings reply gives text: a
// deterministic hash of the text, of dim components, of length 1.
func Embed(text string, dim int) []float32 { return llmtest.HashVector(text, dim) }

// serveEmbed answers embedContent ({"embedding":{...}}) and
// batchEmbedContents ({"embeddings":[...]}).
func (s *Server) serveEmbed(w http.ResponseWriter, req *Request, reply Reply) {
	vectors := reply.vectors
	if reply.kind == kindHashEmbed {
		vectors = nil
		for i, text := range req.Texts() {
			dim := s.cfg.embeddingDim
			if d := req.Embeds[i].OutputDimensionality; d > 0 {
				dim = d
			}
			vectors = append(vectors, Embed(text, dim))
		}
	}
	if req.Action == "embedContent" {
		var e *embedding
		if len(vectors) > 0 {
			e = &embedding{Values: vectors[0]}
		}
		writeJSON(w, http.StatusOK, embedResponse{Embedding: e})
		return
	}
	resp := batchEmbedResponse{Embeddings: make([]embedding, len(vectors))}
	for i, v := range vectors {
		resp.Embeddings[i] = embedding{Values: v}
	}
	writeJSON(w, http.StatusOK, resp)
}

package openaitest

import (
	"encoding/base64"
	"encoding/binary"
	"math"
	"net/http"

	openai "github.com/sashabaranov/go-openai"

	"github.com/chorus-go/chorus/llm/llmtest"
)

// embeddingList is the body of an embeddings response.
type embeddingList struct {
	Object string          `json:"object"`
	Data   []embeddingItem `json:"data"`
	Model  string          `json:"model"`
	Usage  embeddingUsage  `json:"usage"`
}

type embeddingItem struct {
	Object    string `json:"object"`
	Index     int    `json:"index"`
	Embedding any    `json:"embedding"` // []float32, or a base64 string
}

type embeddingUsage struct {
	PromptTokens int `json:"prompt_tokens"`
	TotalTokens  int `json:"total_tokens"`
}

// Embed is the vector the default embeddings reply returns for text: a
// deterministic, unit-length hashing embedding of dim components. Each
// lower-cased word (run of letters and digits) adds ±1 to a component chosen
// by its hash, so texts that share words have a higher cosine similarity,
// which keeps retrieval tests meaningful. A text without words gets a
// pseudo-random vector seeded by its hash. dim < 1 is taken as 1.
func Embed(text string, dim int) []float32 { return llmtest.HashVector(text, dim) }

// serveEmbeddings answers with scripted vectors or, for HashEmbeddings, one
// Embed vector per input.
func (s *Server) serveEmbeddings(w http.ResponseWriter, req *Request, reply Reply) {
	vectors := reply.vectors
	if reply.kind == kindHashEmbed {
		vectors = nil
	}
	writeJSON(w, http.StatusOK, s.embeddingResponse(req, vectors))
}

// embeddingResponse builds the body; nil vectors means hash embeddings.
func (s *Server) embeddingResponse(req *Request, vectors [][]float32) embeddingList {
	if vectors == nil {
		dim := s.cfg.embeddingDim
		if req.Embedding != nil && req.Embedding.Dimensions > 0 {
			dim = req.Embedding.Dimensions
		}
		for _, in := range req.Inputs {
			vectors = append(vectors, Embed(in, dim))
		}
	}
	b64 := req.Embedding != nil && req.Embedding.EncodingFormat == openai.EmbeddingEncodingFormatBase64
	resp := embeddingList{Object: "list", Data: []embeddingItem{}, Model: req.Model()}
	for i, v := range vectors {
		item := embeddingItem{Object: "embedding", Index: i, Embedding: v}
		if b64 {
			item.Embedding = encodeBase64(v)
		} else if v == nil {
			item.Embedding = []float32{}
		}
		resp.Data = append(resp.Data, item)
	}
	tokens := 0
	for _, in := range req.Inputs {
		tokens += estimateTokens(in)
	}
	resp.Usage = embeddingUsage{PromptTokens: tokens, TotalTokens: tokens}
	return resp
}

// encodeBase64 is the "base64" encoding_format: little-endian float32s.
func encodeBase64(v []float32) string {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return base64.StdEncoding.EncodeToString(b)
}

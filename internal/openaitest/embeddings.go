package openaitest

import (
	"encoding/base64"
	"encoding/binary"
	"hash/fnv"
	"math"
	"net/http"
	"strings"
	"unicode"

	openai "github.com/sashabaranov/go-openai"
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
func Embed(text string, dim int) []float32 {
	dim = max(dim, 1)
	v := make([]float64, dim)
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for _, w := range words {
		h := hash64(w)
		if h>>63 == 1 {
			v[h%uint64(dim)]--
		} else {
			v[h%uint64(dim)]++
		}
	}
	var norm float64
	for _, x := range v {
		norm += x * x
	}
	if norm == 0 { // no words, or they cancelled out
		seed := hash64(text)
		for i := range v {
			seed = splitmix64(seed)
			v[i] = float64(seed>>11)/float64(1<<53)*2 - 1
			norm += v[i] * v[i]
		}
	}
	norm = math.Sqrt(norm)
	out := make([]float32, dim)
	for i, x := range v {
		out[i] = float32(x / norm)
	}
	return out
}

func hash64(s string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	return h.Sum64()
}

func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

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

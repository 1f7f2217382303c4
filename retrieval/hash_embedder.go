package retrieval

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"strings"
	"unicode"

	"github.com/chorus-go/chorus/chain"
)

// HashEmbedder is a deterministic bag-of-words embedder that needs no
// model: each lowercased word (a run of letters and digits; each Han, kana
// or Hangul character on its own) is hashed (FNV-1a) to one of Dimensions
// buckets and adds +1 or -1 there, the sign taken from another bit of the
// hash so that collisions cancel out on average rather than pile up; the
// vector is then L2-normalised. Texts sharing words get a high cosine
// similarity; it knows nothing of synonyms. A text with no words embeds to
// the zero vector, which cosine stores refuse.
//
// It implements llm.Embedder and is safe for concurrent use. Use it in
// tests, and as the embedded default when no embedding model is reachable.
type HashEmbedder struct {
	dim int
}

// NewHashEmbedder returns a hashing embedder of vectors of length dim. It
// fails (with an error matching chain.ErrConfig) if dim < 1. A few
// hundred dimensions keep collisions rare for short texts.
func NewHashEmbedder(dim int) (*HashEmbedder, error) {
	if dim < 1 {
		return nil, configError("NewHashEmbedder", "dimension must be at least 1, got %d", dim)
	}
	return &HashEmbedder{dim: dim}, nil
}

// MustHashEmbedder is NewHashEmbedder that panics with its error instead
// of returning it.
func MustHashEmbedder(dim int) *HashEmbedder { return must(NewHashEmbedder(dim)) }

// Dimensions returns the length of the vectors.
func (h *HashEmbedder) Dimensions() int { return h.dim }

// Embed embeds each text.
func (h *HashEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		out[i] = h.EmbedText(t)
	}
	return out, nil
}

// EmbedText embeds one text.
func (h *HashEmbedder) EmbedText(text string) []float32 {
	v := make([]float32, h.dim)
	for _, w := range Words(text) {
		f := fnv.New64a()
		f.Write([]byte(w))
		sum := f.Sum64()
		if sum>>63 == 1 {
			v[sum%uint64(h.dim)]--
		} else {
			v[sum%uint64(h.dim)]++
		}
	}
	var n float64
	for _, x := range v {
		n += float64(x) * float64(x)
	}
	if n > 0 {
		inv := float32(1 / math.Sqrt(n))
		for i := range v {
			v[i] *= inv
		}
	}
	return v
}

// Describe shows the embedder in inference graphs as model "hash:<dim>".
func (h *HashEmbedder) Describe() chain.Node {
	return chain.Node{Kind: chain.KindModel, Name: fmt.Sprintf("hash:%d", h.dim)}
}

// Words cuts text into the lowercased words HashEmbedder hashes: runs of
// letters, marks and digits, with each Han, kana or Hangul character a
// word of its own.
func Words(text string) []string {
	var (
		out []string
		b   strings.Builder
	)
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, r := range text {
		switch {
		case isCJK(r):
			flush()
			out = append(out, string(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			b.WriteRune(unicode.ToLower(r))
		default:
			flush()
		}
	}
	flush()
	return out
}

// isCJK reports whether r is written without spaces between words: Han,
// Hiragana, Katakana or Hangul.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

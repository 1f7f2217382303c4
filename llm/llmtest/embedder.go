package llmtest

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/chorus-go/chorus/chain"
)

// Embedder is a deterministic hashing embedder: each lower-cased word (a
// run of letters and digits) adds ±1 to a component chosen by its FNV-1a
// hash, and the vector is scaled to unit length, so texts that share words
// have a higher cosine similarity and retrieval tests stay meaningful. A
// text with no words gets a pseudo-random unit vector seeded by its hash.
// The same text always gives the same vector.
//
// It counts its calls and the texts it was given, can wait before each
// call (WithDelay) and can be scripted to fail (FailWith). It implements
// llm.Embedder and chain.Describer and is safe for concurrent use.
type Embedder struct {
	dim int

	mu    sync.Mutex
	delay time.Duration
	errs  []error
	calls int
	texts int
}

// NewEmbedder returns an Embedder of dim-dimensional vectors. It panics if
// dim < 1.
func NewEmbedder(dim int) *Embedder {
	if dim < 1 {
		panic(fmt.Sprintf("llmtest.NewEmbedder: dimension must be at least 1, got %d", dim))
	}
	return &Embedder{dim: dim}
}

// WithDelay makes every later call wait d before answering (or return the
// context's error if it ends first), and returns e.
func (e *Embedder) WithDelay(d time.Duration) *Embedder {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.delay = d
	return e
}

// FailWith scripts the outcome of the next calls: the i-th next call
// returns errs[i], or succeeds when errs[i] is nil; calls after those
// succeed. It returns e.
func (e *Embedder) FailWith(errs ...error) *Embedder {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.errs = append(e.errs, errs...)
	return e
}

// Calls returns how many calls Embed received and how many texts they held
// in all, failed calls included (but not calls whose context had already
// ended).
func (e *Embedder) Calls() (calls, texts int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.calls, e.texts
}

// Dimensions returns the length of the vectors.
func (e *Embedder) Dimensions() int { return e.dim }

// Describe reports the embedder as a node of kind chain.KindModel named
// "llmtest:hash-<dim>".
func (e *Embedder) Describe() chain.Node {
	return chain.Node{Kind: chain.KindModel, Name: "llmtest:hash-" + strconv.Itoa(e.dim)}
}

// Embed returns one vector per text, in order.
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	e.mu.Lock()
	e.calls++
	e.texts += len(texts)
	var err error
	if len(e.errs) > 0 {
		err = e.errs[0]
		e.errs = slices.Delete(e.errs, 0, 1)
	}
	delay := e.delay
	e.mu.Unlock()
	if werr := wait(ctx, delay); werr != nil {
		return nil, werr
	}
	if err != nil {
		return nil, err
	}
	out := make([][]float32, len(texts))
	for i, t := range texts {
		out[i] = HashVector(t, e.dim)
	}
	return out, nil
}

// HashVector returns the vector an Embedder of dim dimensions gives text.
// dim < 1 is taken as 1.
func HashVector(text string, dim int) []float32 {
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
		if norm == 0 {
			v[0], norm = 1, 1
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

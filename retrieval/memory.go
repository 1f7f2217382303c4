package retrieval

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
)

// MemoryStore is a vector store in memory: exact search (every document is
// scored), safe for concurrent use, nothing to install. It is the embedded
// default, good for tests and for up to some hundred thousand documents.
type MemoryStore struct {
	metric Metric

	mu   sync.RWMutex
	dim  int            // 0 until the first document fixes it
	docs []memDoc       // dense, for scanning
	pos  map[string]int // ID -> index in docs
}

type memDoc struct {
	id       string
	text     string
	metadata map[string]any // JSON form
	vec      []float32      // a private copy
	norm     float64        // of vec
}

// MemoryOption configures a MemoryStore. An invalid value makes
// NewMemoryStore fail.
type MemoryOption func(*memoryConfig)

type memoryConfig struct {
	metric Metric
	dim    int
	errs   []error
}

// MemoryMetric sets how vectors are compared (default Cosine).
func MemoryMetric(m Metric) MemoryOption {
	return func(c *memoryConfig) {
		if !m.Valid() {
			c.errs = append(c.errs, fmt.Errorf("MemoryMetric: unknown metric %v", m))
			return
		}
		c.metric = m
	}
}

// MemoryDimensions fixes the vectors' dimension. Without it the first
// document stored fixes it. n must be at least 1.
func MemoryDimensions(n int) MemoryOption {
	return func(c *memoryConfig) {
		if n < 1 {
			c.errs = append(c.errs, fmt.Errorf("MemoryDimensions: dimension must be at least 1, got %d", n))
			return
		}
		c.dim = n
	}
}

// NewMemoryStore returns an empty in-memory store. It fails (with an error
// matching chain.ErrConfig) on an invalid option.
func NewMemoryStore(opts ...MemoryOption) (*MemoryStore, error) {
	cfg := memoryConfig{metric: Cosine}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if len(cfg.errs) > 0 {
		return nil, configError("NewMemoryStore", "%v", errors.Join(cfg.errs...))
	}
	return &MemoryStore{metric: cfg.metric, dim: cfg.dim, pos: map[string]int{}}, nil
}

// MustMemoryStore is NewMemoryStore that panics with its error instead of
// returning it.
func MustMemoryStore(opts ...MemoryOption) *MemoryStore { return must(NewMemoryStore(opts...)) }

// Len returns the number of documents stored.
func (s *MemoryStore) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.docs)
}

// Dimensions returns the vectors' dimension, 0 while it is not fixed.
func (s *MemoryStore) Dimensions() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.dim
}

// Metric returns how the store compares vectors.
func (s *MemoryStore) Metric() Metric { return s.metric }

// Upsert stores docs, replacing those with the same IDs. It is all or
// nothing: the documents are checked and copied before any is stored.
func (s *MemoryStore) Upsert(ctx context.Context, docs []Document) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	dim := s.dim
	s.mu.RUnlock()
	prepared := make([]memDoc, len(docs))
	for i, d := range docs {
		if dim == 0 {
			dim = len(d.Embedding)
		}
		raw, err := Prepare(d, dim, s.metric)
		if err != nil {
			return &DocumentError{Index: i, ID: d.ID, Err: err}
		}
		md, err := decodeMetadata(raw) // the JSON form, as NormalizeMetadata gives it
		if err != nil {
			return &DocumentError{Index: i, ID: d.ID, Err: err}
		}
		vec := slices.Clone(d.Embedding)
		prepared[i] = memDoc{id: d.ID, text: d.Text, metadata: md, vec: vec, norm: norm(vec)}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(prepared) > 0 && s.dim != 0 && s.dim != dim { // another writer fixed it meanwhile
		return &DocumentError{Index: 0, ID: prepared[0].id, Err: &DimensionError{Want: s.dim, Got: dim}}
	}
	for _, d := range prepared {
		s.dim = len(d.vec)
		if i, ok := s.pos[d.id]; ok {
			s.docs[i] = d
			continue
		}
		s.pos[d.id] = len(s.docs)
		s.docs = append(s.docs, d)
	}
	return nil
}

// Delete removes the documents with these IDs.
func (s *MemoryStore) Delete(ctx context.Context, ids ...string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		i, ok := s.pos[id]
		if !ok {
			continue
		}
		last := len(s.docs) - 1
		if i != last {
			s.docs[i] = s.docs[last]
			s.pos[s.docs[i].id] = i
		}
		s.docs[last] = memDoc{}
		s.docs = s.docs[:last]
		delete(s.pos, id)
	}
	return nil
}

// Search scores every document against vector and returns the k best.
func (s *MemoryStore) Search(ctx context.Context, vector []float32, k int, opts ...SearchOption) ([]Document, error) {
	if k < 1 {
		return nil, fmt.Errorf("%w (got %d)", ErrInvalidK, k)
	}
	o := NewSearchOptions(opts...)
	filter, err := o.NormalizedFilter()
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if err := CheckVector(vector, s.dim, s.metric); err != nil {
		return nil, err
	}
	qnorm := norm(vector)
	best := &topK{k: k, items: make([]scored, 0, min(k, len(s.docs)))}
	for i := range s.docs {
		d := &s.docs[i]
		if filter != nil && !filter.Match(d.metadata) {
			continue
		}
		var score float64
		switch s.metric {
		case Cosine:
			score = clamp1(float64(dot(vector, d.vec)) / (qnorm * d.norm))
		case InnerProduct:
			score = float64(dot(vector, d.vec))
		default:
			score = s.metric.Similarity(vector, d.vec)
		}
		if o.HasMinScore && score < o.MinScore {
			continue
		}
		best.offer(scored{score: score, id: d.id, pos: i})
		if i%4096 == 4095 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	out := make([]Document, 0, best.Len())
	for _, c := range best.sorted() {
		d := &s.docs[c.pos]
		doc := Document{ID: d.id, Text: d.text, Metadata: CloneMetadata(d.metadata), Score: c.score}
		if o.WithEmbeddings {
			doc.Embedding = slices.Clone(d.vec)
		}
		out = append(out, doc)
	}
	return out, nil
}

package guard

import (
	"context"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// EmbedderModel is an embedder guarded by layers of middleware; NewEmbedder
// makes one. It is an llm.Embedder and a chain.Describer, safe for
// concurrent use.
type EmbedderModel struct {
	base
	embedders []llm.Embedder
	cache     *lru[embedResult]
	node      chain.Chain[[]string, embedResult]
}

// UsageEmbedderModel is the EmbedderModel of an llm.UsageEmbedder: it
// reports the usage too.
type UsageEmbedderModel struct{ *EmbedderModel }

var (
	_ llm.Embedder      = (*EmbedderModel)(nil)
	_ llm.UsageEmbedder = UsageEmbedderModel{}
)

type embedResult struct {
	vecs  [][]float32
	usage llm.Usage
}

// NewEmbedder guards e with the layers opts turn on, as New does a chat
// model; WithFallbackEmbedders names the embedders to fall back to, which must
// give vectors of e's length. The result is an *EmbedderModel, or a
// UsageEmbedderModel when e is an llm.UsageEmbedder. It fails with an
// error matching chain.ErrConfig when e is nil (and llm.ErrNilModel), an
// option's value is bad or the dimensions differ.
func NewEmbedder(e llm.Embedder, opts ...Option) (llm.Embedder, error) {
	if isNil(e) {
		return nil, errNil("Embedder")
	}
	cfg, err := newConfig("Embedder", opts)
	if err != nil {
		return nil, err
	}
	if len(cfg.fallbacks) > 0 || len(cfg.ocrFallbacks) > 0 {
		return nil, configErr("Embedder", "Fallback and FallbackOCR are for Chat and OCR; use FallbackEmbedders")
	}
	embs := append([]llm.Embedder{e}, cfg.embFallbacks...)
	inner := make([]any, len(embs))
	for i, f := range embs {
		inner[i] = f
		if d, d0 := f.Dimensions(), e.Dimensions(); d != 0 && d0 != 0 && d != d0 {
			return nil, configErr("Embedder", "fallback %d gives vectors of %d dimensions, not %d", i, d, d0)
		}
	}
	b, err := newBase("Embedder", cfg, inner)
	if err != nil {
		return nil, err
	}
	m := &EmbedderModel{base: b, embedders: embs}
	if cfg.cache > 0 {
		m.cache = newLRU[embedResult](cfg.cache)
	}
	m.node = chain.Named(m.name, chain.Chain[[]string, embedResult](embedRunner{m}))
	if _, ok := e.(llm.UsageEmbedder); ok {
		return UsageEmbedderModel{m}, nil
	}
	return m, nil
}

// MustEmbedder is NewEmbedder that panics with the error.
func MustEmbedder(e llm.Embedder, opts ...Option) llm.Embedder {
	m, err := NewEmbedder(e, opts...)
	if err != nil {
		panic(err)
	}
	return m
}

// Embed embeds texts through the layers.
func (m *EmbedderModel) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	r, err := m.node.Run(ctx, texts)
	return r.vecs, m.unname(err)
}

// Dimensions returns the guarded embedder's.
func (m *EmbedderModel) Dimensions() int { return m.embedders[0].Dimensions() }

// Describe returns the node of the inference graph, as Model's.
func (m *EmbedderModel) Describe() chain.Node { return m.describe(m) }

// EmbedUsage embeds texts through the layers and returns the usage the
// embedder that answered reported (zero for an answer from the cache).
func (u UsageEmbedderModel) EmbedUsage(ctx context.Context, texts []string) ([][]float32, llm.Usage, error) {
	r, err := u.node.Run(ctx, texts)
	return r.vecs, r.usage, u.unname(err)
}

type embedRunner struct{ m *EmbedderModel }

func (r embedRunner) Run(ctx context.Context, texts []string) (embedResult, error) {
	return r.m.embed(ctx, texts)
}

func (r embedRunner) Describe() chain.Node { return chain.Node{Kind: KindGuard, Name: r.m.name} }

func (m *EmbedderModel) embed(ctx context.Context, texts []string) (embedResult, error) {
	var key cacheKey
	if m.cache != nil {
		key = textsKey(m.names[0], texts)
		if r, ok := m.cache.get(key); ok {
			chain.Emit(ctx, chain.Event{Kind: EventCacheHit, Name: m.name})
			return embedResult{vecs: r.vecs}, nil
		}
	}
	est := 0
	if m.cfg.tpm > 0 {
		for _, t := range texts {
			est += m.cfg.counter.CountTokens(t)
		}
	}
	c := embedCall{texts: texts}
	err := m.tryAll(ctx, func(i int) (bool, error) {
		c.e = m.embedders[i]
		return false, m.stacks[i].do(ctx, job{est: est, fn: c.attempt})
	})
	if err != nil {
		return embedResult{}, err
	}
	if m.cache != nil {
		m.cache.put(key, c.r)
	}
	return c.r, nil
}

type embedCall struct {
	texts []string
	e     llm.Embedder
	r     embedResult
}

func (c *embedCall) attempt(ctx context.Context) (int, bool, error) {
	if ue, ok := c.e.(llm.UsageEmbedder); ok {
		vecs, u, err := ue.EmbedUsage(ctx, c.texts)
		if err != nil {
			return 0, false, err
		}
		c.r = embedResult{vecs, u}
		return u.Total(), false, nil
	}
	vecs, err := c.e.Embed(ctx, c.texts)
	if err != nil {
		return 0, false, err
	}
	c.r = embedResult{vecs: vecs}
	return 0, false, nil
}

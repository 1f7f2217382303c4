package guard

import (
	"context"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// OCRModel is an OCR engine guarded by layers of middleware; NewOCR makes
// one. It is an llm.OCR and a chain.Describer, safe for concurrent use.
type OCRModel struct {
	base
	engines []llm.OCR
	cache   *lru[llm.OCRResult]
	node    chain.Chain[llm.Image, llm.OCRResult]
}

var _ llm.OCR = (*OCRModel)(nil)

// NewOCR guards o with the layers opts turn on, as New does a chat model;
// WithFallbackOCR names the engines to fall back to. WithRateLimit's token limit
// does not apply to NewOCR (its calls are estimated at zero tokens). It fails
// with an error matching chain.ErrConfig when o is nil (and
// llm.ErrNilModel) or an option's value is bad.
func NewOCR(o llm.OCR, opts ...Option) (*OCRModel, error) {
	if isNil(o) {
		return nil, errNil("OCR")
	}
	cfg, err := newConfig("OCR", opts)
	if err != nil {
		return nil, err
	}
	if len(cfg.fallbacks) > 0 || len(cfg.embFallbacks) > 0 {
		return nil, configErr("OCR", "Fallback and FallbackEmbedders are for Chat and Embedder; use FallbackOCR")
	}
	engines := append([]llm.OCR{o}, cfg.ocrFallbacks...)
	inner := make([]any, len(engines))
	for i, e := range engines {
		inner[i] = e
	}
	b, err := newBase("OCR", cfg, inner)
	if err != nil {
		return nil, err
	}
	m := &OCRModel{base: b, engines: engines}
	if cfg.cache > 0 {
		m.cache = newLRU[llm.OCRResult](cfg.cache)
	}
	m.node = chain.Named(m.name, chain.Chain[llm.Image, llm.OCRResult](ocrRunner{m}))
	return m, nil
}

// MustOCR is NewOCR that panics with the error.
func MustOCR(o llm.OCR, opts ...Option) *OCRModel {
	m, err := NewOCR(o, opts...)
	if err != nil {
		panic(err)
	}
	return m
}

// Recognize reads img through the layers.
func (m *OCRModel) Recognize(ctx context.Context, img llm.Image) (llm.OCRResult, error) {
	r, err := m.node.Run(ctx, img)
	return r, m.unname(err)
}

// Describe returns the node of the inference graph, as Model's.
func (m *OCRModel) Describe() chain.Node { return m.describe(m) }

type ocrRunner struct{ m *OCRModel }

func (r ocrRunner) Run(ctx context.Context, img llm.Image) (llm.OCRResult, error) {
	return r.m.recognize(ctx, &img)
}

func (r ocrRunner) Describe() chain.Node { return chain.Node{Kind: KindGuard, Name: r.m.name} }

func (m *OCRModel) recognize(ctx context.Context, img *llm.Image) (llm.OCRResult, error) {
	var key cacheKey
	if m.cache != nil {
		key = imageKey(m.names[0], img)
		if r, ok := m.cache.get(key); ok {
			chain.Emit(ctx, chain.Event{Kind: EventCacheHit, Name: m.name})
			return r, nil
		}
	}
	c := ocrCall{img: img}
	err := m.tryAll(ctx, func(i int) (bool, error) {
		c.o = m.engines[i]
		return false, m.stacks[i].do(ctx, job{fn: c.attempt})
	})
	if err != nil {
		return llm.OCRResult{}, err
	}
	if m.cache != nil {
		m.cache.put(key, c.r)
	}
	return c.r, nil
}

type ocrCall struct {
	img *llm.Image
	o   llm.OCR
	r   llm.OCRResult
}

func (c *ocrCall) attempt(ctx context.Context) (int, bool, error) {
	r, err := c.o.Recognize(ctx, *c.img)
	if err != nil {
		return 0, false, err
	}
	c.r = r
	return 0, false, nil
}

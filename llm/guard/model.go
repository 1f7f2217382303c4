package guard

import (
	"context"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// Model is a chat model guarded by layers of middleware; New makes one.
// It is an llm.ChatModel, an llm.Streamer and a chain.Describer, so
// everything that takes a model takes it. It is safe for concurrent use.
type Model struct {
	base
	models     []llm.ChatModel
	cache      *lru[llm.Response]
	chatNode   chain.Chain[llm.Request, llm.Response]
	streamNode chain.Chain[streamCall, struct{}]
}

var (
	_ llm.ChatModel   = (*Model)(nil)
	_ llm.Streamer    = (*Model)(nil)
	_ chain.Describer = (*Model)(nil)
)

// New guards model with the layers opts turn on (see the package
// documentation for their order). It fails with an error matching
// chain.ErrConfig when model is nil (and llm.ErrNilModel) or an option's
// value is bad.
func New(model llm.ChatModel, opts ...Option) (*Model, error) {
	if isNil(model) {
		return nil, errNil("Chat")
	}
	cfg, err := newConfig("Chat", opts)
	if err != nil {
		return nil, err
	}
	if len(cfg.embFallbacks) > 0 || len(cfg.ocrFallbacks) > 0 {
		return nil, configErr("Chat", "FallbackEmbedders and FallbackOCR are for Embedder and OCR; use Fallback")
	}
	models := append([]llm.ChatModel{model}, cfg.fallbacks...)
	inner := make([]any, len(models))
	for i, m := range models {
		inner[i] = m
	}
	b, err := newBase("Chat", cfg, inner)
	if err != nil {
		return nil, err
	}
	m := &Model{base: b, models: models}
	if cfg.cache > 0 {
		m.cache = newLRU[llm.Response](cfg.cache)
	}
	m.chatNode = chain.Named(m.name, chain.Chain[llm.Request, llm.Response](chatRunner{m}))
	m.streamNode = chain.Named(m.name, chain.Chain[streamCall, struct{}](streamRunner{m}))
	return m, nil
}

// MustNew is New that panics with the error.
func MustNew(model llm.ChatModel, opts ...Option) *Model {
	m, err := New(model, opts...)
	if err != nil {
		panic(err)
	}
	return m
}

// Chat asks the guarded model, through the layers.
func (m *Model) Chat(ctx context.Context, req llm.Request) (llm.Response, error) {
	resp, err := m.chatNode.Run(ctx, req)
	return resp, m.unname(err)
}

// Describe returns the node of the inference graph: kind "guard", the
// layers in Detail, the guarded model and its fallbacks as children, and
// the Model itself as Chain, so readiness checks find Check.
func (m *Model) Describe() chain.Node { return m.describe(m) }

// estimate is the tokens a request is expected to take, for RateLimit.
func (m *Model) estimate(req *llm.Request) int {
	if m.cfg.tpm == 0 {
		return 0
	}
	n := req.MaxTokens
	for _, msg := range req.Messages {
		n += llm.CountMessage(m.cfg.counter, msg)
	}
	return n
}

// chatRunner is the chain the node runs for Chat.
type chatRunner struct{ m *Model }

func (r chatRunner) Run(ctx context.Context, req llm.Request) (llm.Response, error) {
	return r.m.chat(ctx, &req)
}

func (r chatRunner) Describe() chain.Node { return chain.Node{Kind: KindGuard, Name: r.m.name} }

func (m *Model) chat(ctx context.Context, req *llm.Request) (llm.Response, error) {
	var key cacheKey
	if m.cache != nil {
		key = requestKey(m.names[0], req)
		if resp, ok := m.cache.get(key); ok {
			chain.Emit(ctx, chain.Event{Kind: EventCacheHit, Name: m.name})
			resp.Usage = llm.Usage{} // no tokens were spent
			return resp, nil
		}
	}
	c := chatCall{req: req}
	est := m.estimate(req)
	err := m.tryAll(ctx, func(i int) (bool, error) {
		c.model = m.models[i]
		return false, m.stacks[i].do(ctx, job{est: est, fn: c.attempt})
	})
	if err != nil {
		return llm.Response{}, err
	}
	if m.cache != nil {
		m.cache.put(key, c.resp)
	}
	return c.resp, nil
}

// chatCall is one Chat call's state across attempts.
type chatCall struct {
	req   *llm.Request
	model llm.ChatModel
	resp  llm.Response
}

func (c *chatCall) attempt(ctx context.Context) (int, bool, error) {
	resp, err := c.model.Chat(ctx, *c.req)
	if err != nil {
		return 0, false, err
	}
	c.resp = resp
	return resp.Usage.Total(), false, nil
}

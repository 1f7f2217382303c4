package openai

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	openai "github.com/sashabaranov/go-openai"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/internal/retry"
)

// Default limits of one embeddings request: OpenAI takes at most 2048
// inputs and 300000 tokens per request.
const (
	DefaultBatchSize        = 2048
	DefaultMaxRequestTokens = 300000
)

// Embedder is an OpenAI embedding model ("text-embedding-3-small"), or one
// of an OpenAI-compatible server. It implements llm.Embedder: Embed splits
// a large input into requests of at most WithBatchSize texts and about
// WithMaxRequestTokens tokens, and returns one vector per text, in order.
// Wrap it in llm.EmbedChain to gather concurrent single-text calls into
// batched requests. An Embedder is safe for concurrent use.
type Embedder struct {
	c           *client
	dims        int // asked for with WithDimensions, 0 for the model's own
	known       atomic.Int64
	batchSize   int
	maxTokens   int
	concurrency int
	format      openai.EmbeddingEncodingFormat
}

var (
	_ llm.UsageEmbedder = (*Embedder)(nil)
	_ chain.Describer   = (*Embedder)(nil)
)

// NewEmbedder returns the embedding model named model. The key and server
// are found as for New. WithDimensions, WithBatchSize,
// WithMaxRequestTokens, WithConcurrency and WithBase64Embeddings tune it.
//
// Every error of NewEmbedder matches chain.ErrConfig, as New's do.
func NewEmbedder(model string, opts ...EmbedOption) (*Embedder, error) {
	var cfg embedConfig
	for _, o := range opts {
		if o != nil {
			o.applyEmbed(&cfg)
		}
	}
	c, err := newClient("NewEmbedder", model, &cfg.config)
	if err != nil {
		return nil, err
	}
	e := &Embedder{
		c:           c,
		dims:        cfg.dimensions,
		batchSize:   DefaultBatchSize,
		maxTokens:   DefaultMaxRequestTokens,
		concurrency: 1,
	}
	if cfg.batchSize > 0 {
		e.batchSize = cfg.batchSize
	}
	if cfg.maxTokens > 0 {
		e.maxTokens = cfg.maxTokens
	}
	if cfg.concurrency > 0 {
		e.concurrency = cfg.concurrency
	}
	if cfg.base64Embeds {
		e.format = openai.EmbeddingEncodingFormatBase64
	}
	return e, nil
}

// MustEmbedder is NewEmbedder that panics with NewEmbedder's error instead
// of returning it.
func MustEmbedder(model string, opts ...EmbedOption) *Embedder {
	e, err := NewEmbedder(model, opts...)
	if err != nil {
		panic(err)
	}
	return e
}

// Dimensions returns the length of the vectors: the length of the last
// vectors received, else the one asked for with WithDimensions, else 0.
func (e *Embedder) Dimensions() int {
	if n := e.known.Load(); n > 0 {
		return int(n)
	}
	return e.dims
}

// Describe reports the embedder as a leaf of the inference graph, named
// "openai:<model>".
func (e *Embedder) Describe() chain.Node {
	return chain.Node{Kind: chain.KindModel, Name: provider + ":" + e.c.model, Detail: e.c.host, Chain: e}
}

// Embed returns one vector per text, in the order of texts. No texts give
// nil, nil. An empty text is refused before anything is sent (OpenAI
// rejects empty input) with an error matching llm.ErrInvalidRequest. A
// large input is sent as several requests (up to WithConcurrency at a
// time); if one fails, the others are cancelled and its error is returned.
// Embed does not report token usage to hooks; llm.Embed, through which
// Chorus calls embedders, does (see EmbedUsage).
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out, _, err := e.EmbedUsage(ctx, texts)
	return out, err
}

// EmbedUsage is Embed that also returns the input tokens of its requests,
// summed, as the server counted them.
func (e *Embedder) EmbedUsage(ctx context.Context, texts []string) ([][]float32, llm.Usage, error) {
	if len(texts) == 0 {
		return nil, llm.Usage{}, nil
	}
	for i, t := range texts {
		if t == "" {
			return nil, llm.Usage{}, fmt.Errorf("%w: openai %s: text %d of %d is empty, which the embeddings API rejects: drop it or replace it",
				llm.ErrInvalidRequest, e.c.model, i, len(texts))
		}
	}
	out := make([][]float32, len(texts))
	spans := e.split(texts)
	var tokens atomic.Int64
	if len(spans) == 1 || e.concurrency == 1 {
		for _, s := range spans {
			if err := e.embed(ctx, texts[s.lo:s.hi], out[s.lo:s.hi], &tokens); err != nil {
				return nil, llm.Usage{}, err
			}
		}
	} else if err := e.embedConcurrently(ctx, texts, out, spans, &tokens); err != nil {
		return nil, llm.Usage{}, err
	}
	return out, llm.Usage{InputTokens: int(tokens.Load())}, nil
}

// span is a range of texts sent in one request.
type span struct{ lo, hi int }

// split cuts texts into requests of at most batchSize texts and about
// maxTokens tokens (a token per 3 bytes, rounded up: generous for English,
// about right for other scripts). A text larger than the token bound goes
// alone.
func (e *Embedder) split(texts []string) []span {
	spans := make([]span, 0, len(texts)/e.batchSize+1)
	lo, tokens := 0, 0
	for i, t := range texts {
		n := (len(t) + 2) / 3
		if i > lo && (i-lo >= e.batchSize || tokens+n > e.maxTokens) {
			spans = append(spans, span{lo, i})
			lo, tokens = i, 0
		}
		tokens += n
	}
	return append(spans, span{lo, len(texts)})
}

// embedConcurrently sends the spans with at most e.concurrency requests in
// flight; the first failure cancels the rest.
func (e *Embedder) embedConcurrently(ctx context.Context, texts []string, out [][]float32, spans []span, tokens *atomic.Int64) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
		sem      = make(chan struct{}, e.concurrency)
	)
loop:
	for _, s := range spans {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			break loop
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := e.embed(ctx, texts[s.lo:s.hi], out[s.lo:s.hi], tokens); err != nil {
				once.Do(func() { firstErr = err; cancel() })
			}
		}()
	}
	wg.Wait()
	if firstErr == nil && ctx.Err() != nil {
		return e.c.mapError(ctx, ctx.Err(), nil)
	}
	return firstErr
}

// embed sends one request and puts its vectors, placed by their index, in
// out, adding its input tokens to tokens.
func (e *Embedder) embed(ctx context.Context, texts []string, out [][]float32, tokens *atomic.Int64) error {
	var call *callInfo
	resp, err := retry.Do(ctx, &e.c.retry, provider, e.c.model, func(actx context.Context) (openai.EmbeddingResponse, error) {
		var cctx context.Context
		cctx, call = withCall(actx)
		resp, err := e.c.api.CreateEmbeddings(cctx, openai.EmbeddingRequest{
			Input: texts, Model: openai.EmbeddingModel(e.c.model), Dimensions: e.dims, EncodingFormat: e.format,
		})
		if err != nil {
			err = e.c.mapError(ctx, err, call)
			if retry.TimedOut(ctx, actx) {
				err = retry.TimeoutError(provider, e.c.model, e.c.retry.Timeout)
			}
			e.c.logCall(ctx, "embeddings", call, err)
		}
		return resp, err
	})
	if err != nil {
		return err
	}
	if len(resp.Data) != len(texts) {
		return e.invalid(fmt.Sprintf("%d vectors for %d texts", len(resp.Data), len(texts)))
	}
	for i := range resp.Data {
		d := &resp.Data[i]
		if d.Index < 0 || d.Index >= len(out) || out[d.Index] != nil {
			return e.invalid(fmt.Sprintf("vector index %d is out of range or repeated", d.Index))
		}
		out[d.Index] = d.Embedding
	}
	if n := len(out[0]); n > 0 {
		e.known.Store(int64(n))
	}
	tokens.Add(int64(resp.Usage.PromptTokens))
	if e.c.logger != nil {
		e.c.logCall(ctx, "embeddings", call, nil, slog.Int("texts", len(texts)), slog.Int("input_tokens", resp.Usage.PromptTokens))
	}
	return nil
}

// invalid is the error for a response that does not match its request.
func (e *Embedder) invalid(msg string) error {
	return &llm.Error{Provider: provider, Model: e.c.model, Message: "invalid embeddings response: " + msg}
}

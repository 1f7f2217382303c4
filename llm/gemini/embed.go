package gemini

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"

	"google.golang.org/genai"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/internal/retry"
)

// MaxBatchSize is the most texts the Gemini API embeds in one request
// (batchEmbedContents); the Embedder splits larger inputs.
const MaxBatchSize = 100

// Embedder is a Gemini embedding model ("gemini-embedding-001",
// "text-embedding-004"). It implements llm.Embedder and llm.UsageEmbedder
// and describes itself as "gemini:<model>". It is safe for concurrent use.
type Embedder struct {
	c         *client
	batchSize int
	dims      int
	taskType  string
	seen      atomic.Int64 // the dimension of the last answer, when dims is 0
}

var (
	_ llm.UsageEmbedder = (*Embedder)(nil)
	_ chain.Describer   = (*Embedder)(nil)
)

// NewEmbedder returns the embedding model named model. Keys, server and
// errors are New's.
func NewEmbedder(model string, opts ...EmbedOption) (*Embedder, error) {
	cfg := embedConfig{batchSize: MaxBatchSize}
	for _, o := range opts {
		if o != nil {
			o.applyEmbed(&cfg)
		}
	}
	c, err := newClient("NewEmbedder", model, &cfg.config)
	if err != nil {
		return nil, err
	}
	return &Embedder{c: c, batchSize: cfg.batchSize, dims: cfg.dimensions, taskType: cfg.taskType}, nil
}

// MustNewEmbedder is NewEmbedder that panics with its error.
func MustNewEmbedder(model string, opts ...EmbedOption) *Embedder {
	e, err := NewEmbedder(model, opts...)
	if err != nil {
		panic(err)
	}
	return e
}

// Embed returns one vector per text, in order.
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	vs, _, err := e.EmbedUsage(ctx, texts)
	return vs, err
}

// EmbedUsage is Embed that also returns the input tokens the API
// reported (0 when it reports none, as the Gemini API's
// batchEmbedContents does today). Inputs of more than the batch size go
// in several requests, one after the other, each retried on its own. An
// empty input returns nil without a request; an empty text is refused with
// llm.ErrInvalidRequest, as the API refuses it.
func (e *Embedder) EmbedUsage(ctx context.Context, texts []string) ([][]float32, llm.Usage, error) {
	var total llm.Usage
	if len(texts) == 0 {
		return nil, total, ctx.Err()
	}
	for i, t := range texts {
		if t == "" {
			return nil, total, fmt.Errorf("%w: gemini %s: text %d is empty", llm.ErrInvalidRequest, e.c.model, i)
		}
	}
	out := make([][]float32, 0, len(texts))
	for start := 0; start < len(texts); start += e.batchSize {
		batch := texts[start:min(start+e.batchSize, len(texts))]
		vs, u, err := e.embedBatch(ctx, batch)
		if err != nil {
			return nil, total, err
		}
		out = append(out, vs...)
		total.InputTokens += u.InputTokens
	}
	return out, total, nil
}

func (e *Embedder) embedBatch(ctx context.Context, texts []string) ([][]float32, llm.Usage, error) {
	contents := make([]*genai.Content, len(texts))
	for i, t := range texts {
		contents[i] = &genai.Content{Parts: []*genai.Part{{Text: t}}}
	}
	cfg := &genai.EmbedContentConfig{TaskType: e.taskType}
	if e.dims > 0 {
		cfg.OutputDimensionality = genai.Ptr(int32(e.dims))
	}
	var call *callInfo
	resp, err := retry.Do(ctx, &e.c.retry, provider, e.c.model, func(actx context.Context) (*genai.EmbedContentResponse, error) {
		var cctx context.Context
		cctx, call = withCall(actx)
		resp, err := e.c.api.Models.EmbedContent(cctx, e.c.model, contents, cfg)
		if err == nil && (resp == nil || len(resp.Embeddings) != len(texts)) {
			n := 0
			if resp != nil {
				n = len(resp.Embeddings)
			}
			err = &llm.Error{Provider: provider, Model: e.c.model, StatusCode: call.status,
				Message: fmt.Sprintf("%d embeddings for %d texts", n, len(texts))}
			return nil, err
		}
		if err != nil {
			err = e.c.mapError(ctx, err, call)
			if retry.TimedOut(ctx, actx) {
				err = retry.TimeoutError(provider, e.c.model, e.c.retry.Timeout)
			}
			e.c.logCall(ctx, "embed", call, err)
		}
		return resp, err
	})
	if err != nil {
		return nil, llm.Usage{}, err
	}
	out := make([][]float32, len(resp.Embeddings))
	for i, emb := range resp.Embeddings {
		if emb == nil || len(emb.Values) == 0 {
			return nil, llm.Usage{}, &llm.Error{Provider: provider, Model: e.c.model, StatusCode: call.status,
				Message: fmt.Sprintf("embedding %d is empty", i)}
		}
		out[i] = emb.Values
	}
	e.seen.Store(int64(len(out[0])))
	var u llm.Usage
	if resp.UsageMetadata != nil {
		u.InputTokens = int(resp.UsageMetadata.PromptTokenCount)
	}
	e.c.logCall(ctx, "embed", call, nil, slog.Int("texts", len(texts)))
	return out, u, nil
}

// Dimensions is WithDimensions' value, else the length of the vectors of
// the last answer, 0 before the first.
func (e *Embedder) Dimensions() int {
	if e.dims > 0 {
		return e.dims
	}
	return int(e.seen.Load())
}

// Describe reports the embedder as a leaf named "gemini:<model>".
func (e *Embedder) Describe() chain.Node {
	return chain.Node{Kind: chain.KindModel, Name: e.String(), Detail: e.c.host, Chain: e}
}

// String returns "gemini:<model>".
func (e *Embedder) String() string { return provider + ":" + e.c.model }

package ollama

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/ollama/ollama/api"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/internal/retry"
)

// Embedder is an embedding model served by Ollama ("nomic-embed-text",
// "bge-m3", "mxbai-embed-large", ...). It implements llm.Embedder and
// chain.Describer, and is safe for concurrent use. Give it to
// llm.EmbedChain to gather concurrent single-text calls into batched
// requests.
type Embedder struct {
	*conn
	batchSize  int
	dimensions int // WithDimensions; 0 when not asked for
	truncate   *bool
	dims       atomic.Int64 // the vectors' length, once known
}

// Interface checks.
var (
	_ llm.UsageEmbedder = (*Embedder)(nil)
	_ chain.Describer   = (*Embedder)(nil)
)

// NewEmbedder returns the Ollama embedding model of that name, on the
// server New would use. It sends nothing; it fails on an empty model name,
// an unreadable host or an invalid option, with an error matching
// chain.ErrConfig.
func NewEmbedder(model string, opts ...EmbedOption) (*Embedder, error) {
	cfg := embedConfig{batchSize: DefaultBatchSize}
	for _, o := range opts {
		if o != nil {
			o.applyEmbed(&cfg)
		}
	}
	c, err := newConn("NewEmbedder", model, &cfg.connConfig)
	if err != nil {
		return nil, err
	}
	e := &Embedder{conn: c, batchSize: cfg.batchSize, dimensions: cfg.dimensions, truncate: cfg.truncate}
	e.dims.Store(int64(cfg.dimensions))
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

// Name returns the model's name as given to NewEmbedder.
func (e *Embedder) Name() string { return e.model }

// Host returns the server's base URL, or "" when WithClient was given
// without WithHost.
func (e *Embedder) Host() string { return e.host }

// Dimensions returns the length of the vectors: WithDimensions's, else the
// length seen in the first answer, else 0.
func (e *Embedder) Dimensions() int { return int(e.dims.Load()) }

// Embed returns one vector per text, in order (/api/embed). Texts beyond
// the batch size are sent in further requests, one after another; the
// first failure ends the call. Failures are *llm.Error values as for
// Model.Chat; a server answering with the wrong number of vectors, or
// vectors of another length than before, is an *llm.Error too. Embed does
// not report token usage to hooks; llm.Embed, through which Chorus calls
// embedders, does (see EmbedUsage).
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out, _, err := e.EmbedUsage(ctx, texts)
	return out, err
}

// EmbedUsage is Embed that also returns the input tokens of its requests,
// summed, as the server counted them.
func (e *Embedder) EmbedUsage(ctx context.Context, texts []string) ([][]float32, llm.Usage, error) {
	if len(texts) == 0 {
		return [][]float32{}, llm.Usage{}, nil
	}
	var u llm.Usage
	if len(texts) <= e.batchSize {
		out, err := e.embed(ctx, texts, &u)
		if err != nil {
			return nil, llm.Usage{}, err
		}
		return out, u, nil
	}
	out := make([][]float32, 0, len(texts))
	for start := 0; start < len(texts); start += e.batchSize {
		vecs, err := e.embed(ctx, texts[start:min(start+e.batchSize, len(texts))], &u)
		if err != nil {
			return nil, llm.Usage{}, err
		}
		out = append(out, vecs...)
	}
	return out, u, nil
}

// embed sends one request, adding its input tokens to u.
func (e *Embedder) embed(ctx context.Context, texts []string, u *llm.Usage) ([][]float32, error) {
	req := &api.EmbedRequest{
		Model:      e.model,
		Input:      texts,
		KeepAlive:  e.keepAlive,
		Truncate:   e.truncate,
		Dimensions: e.dimensions,
		Options:    e.modelOpts,
	}
	resp, err := retry.Do(ctx, &e.retry, provider, e.model, func(actx context.Context) (*api.EmbedResponse, error) {
		var x exchange
		resp, err := e.client.Embed(withExchange(actx, &x), req)
		if err != nil {
			return nil, e.failure(ctx, err, &x)
		}
		return resp, nil
	})
	if err != nil {
		return nil, err
	}
	if len(resp.Embeddings) != len(texts) {
		return nil, e.badAnswer("%d vectors for %d texts", len(resp.Embeddings), len(texts))
	}
	for i, v := range resp.Embeddings {
		n := int64(len(v))
		if n == 0 {
			return nil, e.badAnswer("an empty vector for text %d", i)
		}
		if e.dims.CompareAndSwap(0, n) {
			continue
		}
		if want := e.dims.Load(); want != n {
			return nil, e.badAnswer("a vector of %d dimensions for text %d, want %d", n, i, want)
		}
	}
	u.InputTokens += resp.PromptEvalCount
	return resp.Embeddings, nil
}

func (e *Embedder) badAnswer(format string, args ...any) *llm.Error {
	return &llm.Error{Provider: provider, Model: e.model, Message: "the server answered " + fmt.Sprintf(format, args...)}
}

// Describe names the embedder in inference graphs: a model node named
// "ollama:<model>".
func (e *Embedder) Describe() chain.Node { return e.describe() }

// Ping checks that the server answers and has the model, as Model.Ping
// does.
func (e *Embedder) Ping(ctx context.Context) error { return e.ping(ctx) }

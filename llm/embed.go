package llm

import (
	"context"

	"github.com/chorus-go/chorus/chain"
)

// Embedder turns texts into vectors, one per text, in order.
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
	// Dimensions returns the length of the vectors, or 0 if not known
	// before the first call.
	Dimensions() int
}

// UsageEmbedder is an Embedder that also reports the tokens its input
// took, summed over the requests one call made. Adapters implement it to
// report usage; Embed reports it to hooks.
type UsageEmbedder interface {
	Embedder
	EmbedUsage(ctx context.Context, texts []string) ([][]float32, Usage, error)
}

// Embed embeds texts with e. When e is a UsageEmbedder it reports the
// call's token usage to the hooks in ctx, as Chat does: one
// chain.EventTokens (input tokens only) named after the embedder. Chorus
// calls embedders through Embed.
func Embed(ctx context.Context, e Embedder, texts []string) ([][]float32, error) {
	return embed(ctx, e, "", texts)
}

// embed is Embed with the embedder's name known beforehand ("" to look it
// up).
func embed(ctx context.Context, e Embedder, name string, texts []string) ([][]float32, error) {
	ue, ok := e.(UsageEmbedder)
	if !ok {
		return e.Embed(ctx, texts)
	}
	vs, u, err := ue.EmbedUsage(ctx, texts)
	if err != nil {
		return nil, err
	}
	emitUsage(ctx, e, name, u)
	return vs, nil
}

// EmbedChain makes a chain that embeds one text, gathering concurrent
// calls into batched Embed calls with chain.Batch: this is how embeddings
// reach their throughput. Options are chain.Batch's (MaxSize, MaxWait).
// Each batched call goes through Embed. Like the chain package's
// combinators, it panics with an error matching chain.ErrConfig (and
// ErrNilModel) if e is nil.
func EmbedChain(e Embedder, opts ...chain.BatchOption) chain.Chain[string, []float32] {
	if e == nil || isNilValue(e) {
		panic(&configError{"EmbedChain", ErrNilModel})
	}
	return chain.Batch(chain.Named("embed", chain.Chain[[]string, [][]float32](embedMany{e, chain.Describe(e).Name})), opts...)
}

type embedMany struct {
	e    Embedder
	name string
}

func (m embedMany) Run(ctx context.Context, texts []string) ([][]float32, error) {
	return embed(ctx, m.e, m.name, texts)
}

func (m embedMany) Describe() chain.Node {
	return chain.Describe(m.e)
}

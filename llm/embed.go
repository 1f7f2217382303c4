package llm

import (
	"context"
	"fmt"

	"github.com/chorus-go/chorus/chain"
)

// Embedder turns texts into vectors, one per text, in order.
type Embedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
	// Dimensions returns the length of the vectors, or 0 if not known
	// before the first call.
	Dimensions() int
}

// EmbedChain makes a chain that embeds one text, gathering concurrent
// calls into batched Embed calls with chain.Batch: this is how embeddings
// reach their throughput. Options are chain.Batch's (MaxSize, MaxWait).
func EmbedChain(e Embedder, opts ...chain.BatchOption) chain.Chain[string, []float32] {
	if e == nil {
		panic(fmt.Errorf("%w: EmbedChain", ErrNilModel))
	}
	return chain.Batch(chain.Named("embed", chain.Chain[[]string, [][]float32](embedMany{e})), opts...)
}

type embedMany struct{ e Embedder }

func (m embedMany) Run(ctx context.Context, texts []string) ([][]float32, error) {
	return m.e.Embed(ctx, texts)
}

func (m embedMany) Describe() chain.Node {
	return chain.Describe(m.e)
}

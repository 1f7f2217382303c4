package balance

import (
	"context"
	"strconv"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// Embedder spreads embedding calls over replicas of one embedding model,
// with the policies, cooldowns, health checks and failover of Balancer.
// It is itself an llm.UsageEmbedder and a chain.Describer. It is safe for
// concurrent use.
type Embedder struct {
	core *core
	embs []llm.Embedder
}

// Interface checks.
var (
	_ llm.UsageEmbedder = (*Embedder)(nil)
	_ chain.Describer   = (*Embedder)(nil)
)

// NewEmbedder returns a balancer over embedder replicas. It fails as New
// does.
func NewEmbedder(replicas []llm.Embedder, opts ...Option) (*Embedder, error) {
	if len(replicas) == 0 {
		return nil, &configError{fn: "NewEmbedder", reason: "no replicas"}
	}
	names := make([]string, len(replicas))
	checks := make([]func(context.Context) error, len(replicas))
	for i, e := range replicas {
		if e == nil || isNilValue(e) {
			return nil, &configError{fn: "NewEmbedder", reason: "replica " + strconv.Itoa(i) + " is nil", err: llm.ErrNilModel}
		}
		names[i] = chain.Describe(e).Name
		checks[i] = ownCheck(e)
	}
	c, err := newCore("NewEmbedder", names, checks, opts)
	if err != nil {
		return nil, err
	}
	return &Embedder{core: c, embs: append([]llm.Embedder(nil), replicas...)}, nil
}

// MustEmbedder is NewEmbedder that panics with its error.
func MustEmbedder(replicas []llm.Embedder, opts ...Option) *Embedder {
	e, err := NewEmbedder(replicas, opts...)
	if err != nil {
		panic(err)
	}
	return e
}

// Embed embeds texts on a replica the policy picks, failing over as
// Balancer.Chat does.
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	vs, _, err := e.EmbedUsage(ctx, texts)
	return vs, err
}

// EmbedUsage is Embed that also returns the token usage the replica
// reported (zero for replicas that report none).
func (e *Embedder) EmbedUsage(ctx context.Context, texts []string) ([][]float32, llm.Usage, error) {
	var (
		vs [][]float32
		u  llm.Usage
	)
	err := e.core.do(ctx, func(ctx context.Context, i int) (bool, time.Time, error) {
		var err error
		if ue, ok := e.embs[i].(llm.UsageEmbedder); ok {
			vs, u, err = ue.EmbedUsage(ctx, texts)
		} else {
			vs, err = e.embs[i].Embed(ctx, texts)
		}
		return false, time.Time{}, err
	})
	return vs, u, err
}

// Dimensions returns the first replica's that knows its dimensions, or 0.
func (e *Embedder) Dimensions() int {
	for _, r := range e.embs {
		if d := r.Dimensions(); d > 0 {
			return d
		}
	}
	return 0
}

// Describe draws the embedder balancer as Balancer.Describe does.
func (e *Embedder) Describe() chain.Node { return describe(e.core, e.embs) }

// Stats returns a snapshot of each replica's state.
func (e *Embedder) Stats() []ReplicaStats { return e.core.stats() }

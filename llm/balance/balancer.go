package balance

import (
	"context"
	"iter"
	"strconv"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// Balancer spreads chat calls over replicas of one model. It is itself an
// llm.ChatModel, an llm.Streamer, a chain.Chain[llm.Request, llm.Response]
// and a chain.Describer, so it goes wherever a model goes and draws as a
// node with each replica as a child. It is safe for concurrent use.
type Balancer struct {
	core   *core
	models []llm.ChatModel
}

// Interface checks.
var (
	_ llm.ChatModel                          = (*Balancer)(nil)
	_ llm.Streamer                           = (*Balancer)(nil)
	_ chain.Describer                        = (*Balancer)(nil)
	_ chain.Chain[llm.Request, llm.Response] = (*Balancer)(nil)
)

// New returns a balancer over replicas, least in-flight by the power of
// two choices unless an option sets another policy. It fails, with an
// error matching chain.ErrConfig, when there is no replica, a replica is
// nil (also llm.ErrNilModel) or an option's value is invalid.
func New(replicas []llm.ChatModel, opts ...Option) (*Balancer, error) {
	if len(replicas) == 0 {
		return nil, &configError{fn: "New", reason: "no replicas"}
	}
	names := make([]string, len(replicas))
	checks := make([]func(context.Context) error, len(replicas))
	for i, m := range replicas {
		if m == nil || isNilValue(m) {
			return nil, &configError{fn: "New", reason: "replica " + strconv.Itoa(i) + " is nil", err: llm.ErrNilModel}
		}
		names[i] = chain.Describe(m).Name
		checks[i] = ownCheck(m)
	}
	c, err := newCore("New", names, checks, opts)
	if err != nil {
		return nil, err
	}
	return &Balancer{core: c, models: append([]llm.ChatModel(nil), replicas...)}, nil
}

// MustNew is New that panics with New's error instead of returning it.
func MustNew(replicas []llm.ChatModel, opts ...Option) *Balancer {
	b, err := New(replicas, opts...)
	if err != nil {
		panic(err)
	}
	return b
}

// Chat sends the request to a replica the policy picks. A retryable
// failure (chain.IsRetryable: 429, 5xx, timeouts, dropped connections) is
// tried again on another replica (see WithFailover) and counts towards the
// replica's cooldown; the caller's bad request does neither. A replica's
// failure is returned as a *ReplicaError wrapping it; when every replica
// is cooling down Chat fails at once with a *NoReplicaError.
func (b *Balancer) Chat(ctx context.Context, req llm.Request) (llm.Response, error) {
	var resp llm.Response
	err := b.core.do(ctx, func(ctx context.Context, i int) (bool, time.Time, error) {
		var err error
		resp, err = b.models[i].Chat(ctx, req)
		return false, time.Time{}, err
	})
	return resp, err
}

// Run is Chat, so that the balancer is a chain.Chain and chain.Named can
// name it.
func (b *Balancer) Run(ctx context.Context, req llm.Request) (llm.Response, error) {
	return b.Chat(ctx, req)
}

// Stream streams the answer of a replica the policy picks (a replica that
// cannot stream answers in one chunk). A retryable failure before the
// first chunk reached the caller fails over as Chat does; after it, the
// error ends the sequence. Breaking out of the loop stops the request.
func (b *Balancer) Stream(ctx context.Context, req llm.Request) iter.Seq2[llm.Chunk, error] {
	return func(yield func(llm.Chunk, error) bool) {
		stopped := false
		err := b.core.do(ctx, func(ctx context.Context, i int) (committed bool, first time.Time, err error) {
			s, ok := b.models[i].(llm.Streamer)
			if !ok {
				resp, err := b.models[i].Chat(ctx, req)
				if err != nil {
					return false, time.Time{}, err
				}
				u := resp.Usage
				stopped = !yield(llm.Chunk{Text: resp.Text(), ToolCalls: resp.Message.ToolCalls, FinishReason: resp.FinishReason, Usage: &u, Done: true}, nil)
				return true, time.Time{}, nil
			}
			for c, err := range s.Stream(ctx, req) {
				if err != nil {
					return committed, first, err
				}
				if !committed {
					committed, first = true, time.Now()
				}
				if !yield(c, nil) {
					stopped = true
					return true, first, nil
				}
			}
			return committed, first, nil
		})
		if err != nil && !stopped {
			yield(llm.Chunk{}, err)
		}
	}
}

// Describe draws the balancer as a node named "balance" (or WithName's)
// of kind chain.KindRoute — each call goes to one replica, as a route's
// does — with the policy as its detail and each replica as a child.
func (b *Balancer) Describe() chain.Node {
	return describe(b.core, b.models)
}

// Stats returns a snapshot of each replica's state, in the order given to
// New.
func (b *Balancer) Stats() []ReplicaStats { return b.core.stats() }

// describe draws the balancer over replicas: a route node (one replica
// answers each call, as one route does), so that graphs draw a decision
// with an edge to each replica.
func describe[M any](c *core, replicas []M) chain.Node {
	n := chain.Node{Kind: chain.KindRoute, Name: c.cfg.name, Detail: c.detail(), Children: make([]chain.Node, len(replicas))}
	for i, m := range replicas {
		n.Children[i] = chain.Describe(m)
	}
	return n
}

func itoa(n int) string { return strconv.Itoa(n) }

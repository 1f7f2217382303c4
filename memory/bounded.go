package memory

import (
	"context"

	"github.com/chorus-go/chorus/llm"
)

// Bounded is a Memory that sends the newest messages of a session that fit
// in a budget of tokens or characters, as measured by its Counter; the
// oldest turns are dropped first. The leading system messages (the system
// prompt, a summary) are always sent and count against the budget. An
// assistant message that asks for tool calls is dropped together with its
// tool results, never apart. The newest group of messages is always sent,
// even if it alone is over budget.
type Bounded struct {
	store   Store
	budget  int
	counter Counter
	prune   bool
}

var _ Memory = (*Bounded)(nil)

// NewBounded returns a memory over s bounded by budget, counted in
// approximate tokens (ApproxTokens) unless CountWith sets another Counter.
// Option Prune deletes dropped messages from s. It panics (with an error
// matching chain.ErrConfig) if s is nil or budget < 1.
func NewBounded(s Store, budget int, opts ...Option) *Bounded {
	checkStore("NewBounded", s)
	if budget < 1 {
		panic(configError("NewBounded", "budget %d < 1", budget))
	}
	cfg := newConfig(opts)
	return &Bounded{store: s, budget: budget, counter: cfg.counter, prune: cfg.prune}
}

// Messages returns the session's system messages and its newest messages
// within the budget.
func (b *Bounded) Messages(ctx context.Context, session string) ([]llm.Message, error) {
	return trimmed(ctx, b.store, session, b.prune, func(head, body []llm.Message) int {
		return newestCut(body, b.budget-sum(head, b.counter), b.counter.Count)
	})
}

// Append appends msgs to the store.
func (b *Bounded) Append(ctx context.Context, session string, msgs ...llm.Message) error {
	return b.store.Append(ctx, session, msgs...)
}

// Clear clears the session in the store.
func (b *Bounded) Clear(ctx context.Context, session string) error {
	return b.store.Clear(ctx, session)
}

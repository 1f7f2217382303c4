package memory

import (
	"context"

	"github.com/chorus-go/chorus/llm"
)

// Bounded is a Memory that sends the newest messages of a session that fit
// in a budget of tokens or characters, as measured by its counter; the
// oldest turns are dropped first. The leading system messages (the system
// prompt, a summary) are always sent and count against the budget. An
// assistant message that asks for tool calls is dropped together with its
// tool results, never apart. The newest group of messages is always sent,
// even if it alone is over budget.
type Bounded struct {
	store   Store
	budget  int
	counter llm.TokenCounter
	prune   bool
}

var _ Memory = (*Bounded)(nil)

// NewBounded returns a memory over s bounded by budget, counted in
// approximate tokens (llm.ApproxTokens) unless CountWith sets another
// counter. Option Prune deletes dropped messages from s. It fails (with an
// error matching chain.ErrConfig) if s is nil, budget < 1 or an option is
// invalid.
func NewBounded(s Store, budget int, opts ...Option) (*Bounded, error) {
	switch {
	case s == nil:
		return nil, configError("NewBounded", "nil store")
	case budget < 1:
		return nil, configError("NewBounded", "budget %d < 1", budget)
	}
	cfg, err := newConfig("NewBounded", opts)
	if err != nil {
		return nil, err
	}
	return &Bounded{store: s, budget: budget, counter: cfg.counter, prune: cfg.prune}, nil
}

// MustBounded is NewBounded that panics with its error instead of
// returning it.
func MustBounded(s Store, budget int, opts ...Option) *Bounded {
	return must(NewBounded(s, budget, opts...))
}

// Messages returns the session's system messages and its newest messages
// within the budget.
func (b *Bounded) Messages(ctx context.Context, session string) ([]llm.Message, error) {
	return trimmed(ctx, b.store, session, b.prune, func(head, body []llm.Message) int {
		return newestCut(body, b.budget-sum(head, b.counter), counted(b.counter))
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

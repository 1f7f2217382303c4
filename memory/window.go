package memory

import (
	"context"
	"errors"
	"fmt"

	"github.com/chorus-go/chorus/llm"
)

// Window is a Memory that sends the last N messages of a session, plus its
// leading system messages (the system prompt, a summary), which are always
// sent and not counted. It never separates an assistant message that asks
// for tool calls from the tool results that answer it: such a group is sent
// whole or not at all, so the window may hold fewer than N messages — or
// more, when the newest group alone is larger than N, because the newest
// group is always sent.
type Window struct {
	store Store
	n     int
	prune bool
}

var _ Memory = (*Window)(nil)

// NewWindow returns a sliding window of n messages over s. Option Prune
// deletes older messages from s as they leave the window. It fails (with
// an error matching chain.ErrConfig) if s is nil, n < 1 or an option is
// invalid.
func NewWindow(s Store, n int, opts ...Option) (*Window, error) {
	switch {
	case s == nil:
		return nil, configError("NewWindow", "nil store")
	case n < 1:
		return nil, configError("NewWindow", "window of %d messages", n)
	}
	cfg, err := newConfig("NewWindow", opts)
	if err != nil {
		return nil, err
	}
	return &Window{store: s, n: n, prune: cfg.prune}, nil
}

// MustWindow is NewWindow that panics with its error instead of returning
// it.
func MustWindow(s Store, n int, opts ...Option) *Window { return must(NewWindow(s, n, opts...)) }

// Messages returns the session's system messages and its last messages.
func (w *Window) Messages(ctx context.Context, session string) ([]llm.Message, error) {
	return trimmed(ctx, w.store, session, w.prune, func(head, body []llm.Message) int {
		return newestCut(body, w.n, func(llm.Message) int { return 1 })
	})
}

// Append appends msgs to the store.
func (w *Window) Append(ctx context.Context, session string, msgs ...llm.Message) error {
	return w.store.Append(ctx, session, msgs...)
}

// Clear clears the session in the store.
func (w *Window) Clear(ctx context.Context, session string) error {
	return w.store.Clear(ctx, session)
}

// trimmed loads a history and returns its head (leading system messages)
// and its body from the index cut returns. With prune, the messages left
// out are deleted from the store; a concurrent change of the same history
// (ErrConflict) leaves that to a later call.
func trimmed(ctx context.Context, s Store, session string, prune bool, cut func(head, body []llm.Message) int) ([]llm.Message, error) {
	all, err := s.Messages(ctx, session)
	if err != nil {
		return nil, err
	}
	h := headLen(all)
	head, body := all[:h:h], all[h:]
	c := cut(head, body)
	if c == 0 {
		return all, nil
	}
	if prune {
		err := s.Replace(ctx, session, all[:h+c], head)
		if err != nil && !errors.Is(err, ErrConflict) {
			return nil, fmt.Errorf("memory: pruning session %q: %w", session, err)
		}
	}
	return append(head, body[c:]...), nil
}

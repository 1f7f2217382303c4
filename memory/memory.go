package memory

import (
	"context"
	"errors"
	"fmt"

	"github.com/chorus-go/chorus/llm"
)

// Memory is a conversation memory keyed by session ID. Implementations
// must be safe for concurrent use.
type Memory interface {
	// Messages returns the messages to send, before the new user message,
	// with the next request of the session: the whole history or a part
	// of it, depending on the policy. A session never written to has no
	// messages. The slice and everything it points to belong to the
	// caller.
	Messages(ctx context.Context, session string) ([]llm.Message, error)
	// Append adds messages to the end of the session's history, in order
	// and next to each other even when other goroutines or processes
	// append to the same session at the same time. Append copies the
	// messages: changing them afterwards does not change the history.
	Append(ctx context.Context, session string, msgs ...llm.Message) error
	// Clear forgets the session's history. Clearing an unknown session is
	// not an error.
	Clear(ctx context.Context, session string) error
}

// Store persists conversations. Its Messages returns a session's whole
// history in the order it was appended, so every Store is a Memory that
// keeps everything (a full buffer). Every method returns an error wrapping
// ctx.Err() when ctx is already done, and ErrNoSession for an empty session
// ID. Implementations must be safe for concurrent use; memorytest.TestStore
// checks the contract.
type Store interface {
	Memory
	// Replace replaces the oldest len(old) messages of the session with
	// msgs, keeping every later message, provided the history still
	// begins with old (compared with EqualMessages). When it does not —
	// another writer cleared or replaced it meanwhile — Replace changes
	// nothing and returns an error matching ErrConflict. The check and the
	// swap are atomic, so messages appended concurrently are never lost.
	//
	// Replace(ctx, s, h, msgs), with h the whole history as read by
	// Messages, rewrites the history to msgs followed by anything appended
	// since; Replace(ctx, s, nil, msgs) puts msgs before the history.
	Replace(ctx context.Context, session string, old, msgs []llm.Message) error
}

var (
	// ErrConflict is returned by Store.Replace when the session's history
	// no longer begins with the messages the caller expected.
	ErrConflict = errors.New("memory: history changed concurrently")
	// ErrNoSession is returned for an empty session ID.
	ErrNoSession = errors.New("memory: empty session ID")
	// ErrSummary matches a *SummaryError: the summariser failed.
	ErrSummary = errors.New("memory: summary failed")
	// ErrEmptySummary is the cause of a *SummaryError when the summariser
	// answered with no text.
	ErrEmptySummary = errors.New("memory: summariser returned no text")
)

// SummaryError is returned by Summary.Messages when the summariser model
// failed or answered with nothing. Unlike other errors, it comes with
// usable messages: the newest turns that fit in the budget, unsummarised,
// so a caller may go on without the summary (Chat does). Nothing is stored,
// and the next call tries again.
type SummaryError struct {
	Session string
	Err     error
}

// Error names the session and the cause.
func (e *SummaryError) Error() string {
	return fmt.Sprintf("memory: summarising session %q: %v", e.Session, e.Err)
}

// Unwrap returns the cause: the model's error or ErrEmptySummary.
func (e *SummaryError) Unwrap() error { return e.Err }

// Is reports whether target is ErrSummary.
func (e *SummaryError) Is(target error) bool { return target == ErrSummary }

// checkCall returns the error a store method gives for a done context or
// an empty session ID.
func checkCall(ctx context.Context, op, session string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("memory: %s: %w", op, err)
	}
	if session == "" {
		return fmt.Errorf("memory: %s: %w", op, ErrNoSession)
	}
	return nil
}

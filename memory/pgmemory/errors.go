package pgmemory

import (
	"errors"
	"fmt"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/abbrev"
)

var (
	// ErrInvalidTable is returned by New for a table name that is not a
	// plain identifier, optionally qualified by a schema.
	ErrInvalidTable error = configSentinel("pgmemory: invalid table name")
	// ErrImageTooLarge is returned by Append and Replace for a message
	// with an image larger than the store's MaxImageBytes.
	ErrImageTooLarge = errors.New("pgmemory: image too large")
	// ErrUnencodable is returned by Append and Replace for a message
	// whose role, name, tool call ID or MIME type holds a NUL or invalid
	// UTF-8, which JSONB cannot store.
	ErrUnencodable = errors.New("pgmemory: message cannot be stored")
	// ErrInvalidSession matches a *SessionError: a session ID longer than
	// MaxSessionBytes, or holding a NUL or invalid UTF-8, which a text
	// column cannot store.
	ErrInvalidSession = errors.New("pgmemory: invalid session ID")
)

// MaxSessionBytes is the longest session ID, in bytes. Session IDs are
// part of the table's primary key and of every query; a longer one is
// refused before anything is sent.
const MaxSessionBytes = 256

// SessionError is a session ID the store refuses. It matches
// ErrInvalidSession.
type SessionError struct {
	Session string // the ID, whole (the message shortens it)
	Reason  string
}

// Error names the session, shortened to at most 64 bytes, and the reason.
func (e *SessionError) Error() string {
	return fmt.Sprintf("pgmemory: session %s: %s", abbrev.Quote(e.Session, 64), e.Reason)
}

// Is reports whether target is ErrInvalidSession.
func (e *SessionError) Is(target error) bool { return target == ErrInvalidSession }

// checkSession refuses session IDs the table cannot hold or that are too
// long.
func checkSession(session string) error {
	switch {
	case len(session) > MaxSessionBytes:
		return &SessionError{Session: session, Reason: fmt.Sprintf("%d bytes, the limit is %d", len(session), MaxSessionBytes)}
	case !jsonbSafe(session):
		return &SessionError{Session: session, Reason: "not valid UTF-8 text without NUL"}
	}
	return nil
}

// configSentinel is a sentinel error that also matches chain.ErrConfig.
type configSentinel string

func (e configSentinel) Error() string        { return string(e) }
func (e configSentinel) Is(target error) bool { return target == chain.ErrConfig }

package pgmemory

import (
	"time"
)

// DefaultTable is the table New uses unless the Table option names another.
const DefaultTable = "chorus_memory"

// DefaultMaxImageBytes is the default largest image a message may carry:
// 20 MiB, OpenAI's limit per image.
const DefaultMaxImageBytes = 20 << 20

// Option configures New.
type Option func(*Store)

// Table sets the table's name: an identifier of letters, digits and
// underscores (not starting with a digit, at most 63 bytes), optionally
// qualified by a schema ("chat.memory"). Names are quoted, so they are
// case-sensitive.
func Table(name string) Option { return func(s *Store) { s.name = name } }

// MaxImageBytes sets the largest image, in bytes, a stored message may
// carry (default DefaultMaxImageBytes; 0 refuses every image). Images are
// stored inline, base64 in the JSONB, so they cost a third more than their
// size; keep large files elsewhere and store a reference as text.
func MaxImageBytes(n int) Option { return func(s *Store) { s.maxImage = n } }

// DefaultStatementTimeout is the default statement_timeout of the store's
// statements (see StatementTimeout).
const DefaultStatementTimeout = 30 * time.Second

// StatementTimeout sets the statement_timeout (SET LOCAL) of the store's
// statements, waits for a session's lock included (default
// DefaultStatementTimeout, rounded up to a millisecond; 0 leaves the
// server's setting). A statement that runs longer is cancelled by the
// server and fails with SQLSTATE 57014 (query_canceled).
func StatementTimeout(d time.Duration) Option { return func(s *Store) { s.timeout = d } }

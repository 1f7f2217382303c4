package pgmemory

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/abbrev"
	"github.com/chorus-go/chorus/internal/pgcancel"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/memory"
)

// DefaultTable is the table New uses unless the Table option names another.
const DefaultTable = "chorus_memory"

// DefaultMaxImageBytes is the default largest image a message may carry:
// 20 MiB, OpenAI's limit per image.
const DefaultMaxImageBytes = 20 << 20

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

// Store is a memory.Store on PostgreSQL. It is safe for concurrent use by
// many goroutines and processes. It does not own the pool: close the pool
// when done; calls after that return an error.
type Store struct {
	pool     *pgxpool.Pool
	name     string // as given to Table
	table    string // quoted, as used in SQL
	maxImage int
	timeout  time.Duration
	seed     int64 // separates the advisory locks of different tables

	sqlLock, sqlAppend, sqlMessages, sqlClear       string
	sqlPrefix, sqlFirstSeq, sqlDelete, sqlInsertSeq string
}

var _ memory.Store = (*Store)(nil)

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)

// configSentinel is a sentinel error that also matches chain.ErrConfig.
type configSentinel string

func (e configSentinel) Error() string        { return string(e) }
func (e configSentinel) Is(target error) bool { return target == chain.ErrConfig }

// New returns a store on pool, creating its table if it does not exist
// (safely, even when several processes start at once). It fails if the
// table name is invalid, the database cannot be reached, or an existing
// table of that name has not the expected columns. Its configuration
// errors (a nil pool, an invalid table name or option) match
// chain.ErrConfig. It has no MustNew: it talks to the database.
func New(ctx context.Context, pool *pgxpool.Pool, opts ...Option) (*Store, error) {
	if pool == nil {
		return nil, fmt.Errorf("pgmemory: %w: nil pool", chain.ErrConfig)
	}
	s := &Store{pool: pool, name: DefaultTable, maxImage: DefaultMaxImageBytes, timeout: DefaultStatementTimeout}
	for _, o := range opts {
		if o != nil {
			o(s)
		}
	}
	parts := strings.Split(s.name, ".")
	if len(parts) > 2 {
		return nil, fmt.Errorf("%w: %q", ErrInvalidTable, s.name)
	}
	for _, p := range parts {
		if !identRE.MatchString(p) {
			return nil, fmt.Errorf("%w: %q", ErrInvalidTable, s.name)
		}
	}
	if s.maxImage < 0 {
		return nil, fmt.Errorf("pgmemory: %w: MaxImageBytes(%d) < 0", chain.ErrConfig, s.maxImage)
	}
	if s.timeout < 0 {
		return nil, fmt.Errorf("pgmemory: %w: StatementTimeout(%v) < 0", chain.ErrConfig, s.timeout)
	}
	t := pgx.Identifier(parts).Sanitize()
	s.table = t
	h := fnv.New64a()
	h.Write([]byte(t))
	s.seed = int64(h.Sum64())
	s.prepareSQL(t)
	if err := s.createTable(ctx, t); err != nil {
		return nil, fmt.Errorf("pgmemory: creating table %s: %w", t, err)
	}
	return s, nil
}

func (s *Store) prepareSQL(t string) {
	s.sqlLock = `SELECT pg_advisory_xact_lock(hashtextextended($1, $2))`
	s.sqlAppend = `INSERT INTO ` + t + ` (session, seq, message)
SELECT $1, coalesce((SELECT max(seq) FROM ` + t + ` WHERE session = $1), 0) + u.ord, u.message
FROM unnest($2::jsonb[]) WITH ORDINALITY AS u(message, ord)`
	s.sqlMessages = `SELECT message FROM ` + t + ` WHERE session = $1 ORDER BY seq`
	s.sqlClear = `DELETE FROM ` + t + ` WHERE session = $1`
	s.sqlPrefix = `SELECT seq, message FROM ` + t + ` WHERE session = $1 ORDER BY seq LIMIT $2`
	s.sqlFirstSeq = `SELECT coalesce(min(seq), 1) FROM ` + t + ` WHERE session = $1`
	s.sqlDelete = `DELETE FROM ` + t + ` WHERE session = $1 AND seq <= $2`
	// The replacement takes the sequence numbers just below the first
	// message kept: $2 is the last number it may use.
	s.sqlInsertSeq = `INSERT INTO ` + t + ` (session, seq, message)
SELECT $1, $2::bigint - $3::bigint + u.ord, u.message
FROM unnest($4::jsonb[]) WITH ORDINALITY AS u(message, ord)`
}

// createTable creates the table if missing. CREATE TABLE IF NOT EXISTS
// can still fail when two sessions run it at once, so it runs under an
// advisory lock; then a query checks the columns.
func (s *Store) createTable(ctx context.Context, t string) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, s.sqlLock, "chorus/pgmemory/schema", int64(0)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS `+t+` (
	session    text        NOT NULL,
	seq        bigint      NOT NULL,
	message    jsonb       NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (session, seq)
)`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `SELECT session, seq, message, created_at FROM `+t+` LIMIT 0`)
		return err
	})
}

// Name returns the table's name, quoted as it is used in SQL.
func (s *Store) Name() string { return s.table }

func (s *Store) check(ctx context.Context, op, session string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("pgmemory: %s: %w", op, err)
	}
	if session == "" {
		return fmt.Errorf("pgmemory: %s: %w", op, memory.ErrNoSession)
	}
	if err := checkSession(session); err != nil {
		return fmt.Errorf("pgmemory: %s: %w", op, err)
	}
	return nil
}

func (s *Store) encodeAll(msgs []llm.Message) ([][]byte, error) {
	out := make([][]byte, len(msgs))
	for i, m := range msgs {
		b, err := encode(m, s.maxImage)
		if err != nil {
			return nil, fmt.Errorf("message %d: %w", i, err)
		}
		out[i] = b
	}
	return out, nil
}

// Messages returns the session's whole history.
func (s *Store) Messages(ctx context.Context, session string) ([]llm.Message, error) {
	if err := s.check(ctx, "messages", session); err != nil {
		return nil, err
	}
	c, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("pgmemory: loading session %q: %w", session, err)
	}
	defer c.Release()
	defer pgcancel.OnDone(ctx, c)()
	// the timeout and the query in one round trip, one implicit
	// transaction
	b := &pgx.Batch{}
	s.queueTimeout(b)
	b.Queue(s.sqlMessages, session)
	br := c.SendBatch(ctx, b)
	msgs, err := readMessages(br, len(b.QueuedQueries)-1)
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("pgmemory: loading session %q: %w", session, err)
	}
	return msgs, nil
}

// readMessages skips n results, then decodes the messages of the next.
func readMessages(br pgx.BatchResults, n int) ([]llm.Message, error) {
	for range n {
		if _, err := br.Exec(); err != nil {
			return nil, err
		}
	}
	rows, err := br.Query()
	if err != nil {
		return nil, err
	}
	return decodeRows(rows, nil)
}

// queueTimeout adds SET LOCAL statement_timeout to b, unless the store has
// none.
func (s *Store) queueTimeout(b *pgx.Batch) {
	if ms := (s.timeout + time.Millisecond - 1) / time.Millisecond; ms > 0 {
		b.Queue("SELECT set_config('statement_timeout', $1, true)", strconv.FormatInt(int64(ms), 10))
	}
}

// Append adds msgs to the end of the session's history: the transaction's
// begin, the session's lock and the insert go in one round trip, the
// commit in a second. A call cancelled before its commit stores nothing,
// even if the server was still waiting for the lock.
func (s *Store) Append(ctx context.Context, session string, msgs ...llm.Message) error {
	if err := s.check(ctx, "append", session); err != nil {
		return err
	}
	if len(msgs) == 0 {
		return nil
	}
	rows, err := s.encodeAll(msgs)
	if err != nil {
		return fmt.Errorf("pgmemory: append to session %q: %w", session, err)
	}
	b := &pgx.Batch{}
	b.BeginTx(pgx.TxOptions{})
	s.queueTimeout(b)
	b.Queue(s.sqlLock, session, s.seed)
	b.Queue(s.sqlAppend, session, rows)
	if err := s.execTx(ctx, b); err != nil {
		return fmt.Errorf("pgmemory: append to session %q: %w", session, err)
	}
	return nil
}

// execTx sends b, which begins a transaction, and commits the transaction
// if every query succeeded. The transaction is explicit, not the implicit
// one of a batch, so that a connection dropped on cancellation rolls it
// back even when the server gets to run the queries.
func (s *Store) execTx(ctx context.Context, b *pgx.Batch) error {
	c, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer c.Release()
	defer pgcancel.OnDone(ctx, c)()
	br := c.SendBatch(ctx, b)
	tx := br.Tx()
	if err := br.Close(); err != nil {
		_ = tx.Rollback(ctx) // on failure, the pool discards the connection
		return err
	}
	return tx.Commit(ctx)
}

// Clear deletes the session's history.
func (s *Store) Clear(ctx context.Context, session string) error {
	if err := s.check(ctx, "clear", session); err != nil {
		return err
	}
	b := &pgx.Batch{}
	b.BeginTx(pgx.TxOptions{})
	s.queueTimeout(b)
	b.Queue(s.sqlLock, session, s.seed)
	b.Queue(s.sqlClear, session)
	if err := s.execTx(ctx, b); err != nil {
		return fmt.Errorf("pgmemory: clear session %q: %w", session, err)
	}
	return nil
}

// Replace swaps the oldest len(old) messages for msgs if the history
// still begins with old, in one transaction under the session's lock, in
// three round trips; see memory.Store.
func (s *Store) Replace(ctx context.Context, session string, old, msgs []llm.Message) error {
	if err := s.check(ctx, "replace", session); err != nil {
		return err
	}
	rows, err := s.encodeAll(msgs)
	if err != nil {
		return fmt.Errorf("pgmemory: replace in session %q: %w", session, err)
	}
	if err := s.replace(ctx, session, old, rows); err != nil {
		return fmt.Errorf("pgmemory: replace in session %q: %w", session, err)
	}
	return nil
}

func (s *Store) replace(ctx context.Context, session string, old []llm.Message, rows [][]byte) (err error) {
	// Begin, lock, and read the messages to compare (or, with none, the
	// first sequence number) in one round trip.
	c, err := s.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer c.Release()
	defer pgcancel.OnDone(ctx, c)()
	b := &pgx.Batch{}
	b.BeginTx(pgx.TxOptions{})
	s.queueTimeout(b)
	b.Queue(s.sqlLock, session, s.seed)
	if len(old) == 0 {
		b.Queue(s.sqlFirstSeq, session)
	} else {
		b.Queue(s.sqlPrefix, session, len(old))
	}
	br := c.SendBatch(ctx, b)
	tx := br.Tx()
	defer func() {
		if err != nil {
			_ = tx.Rollback(ctx) // on failure, the pool discards the connection
		}
	}()
	// last is the sequence number of the last message replaced, or just
	// below the first message when none is.
	var last int64
	for range len(b.QueuedQueries) - 1 { // begin, the timeout, the lock
		if _, err := br.Exec(); err != nil {
			br.Close()
			return err
		}
	}
	if len(old) == 0 {
		err = br.QueryRow().Scan(&last)
		last--
	} else {
		var cur []llm.Message
		cur, err = readPrefix(br, &last)
		if err == nil && !memory.EqualMessages(cur, old) {
			err = memory.ErrConflict
		}
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	b = &pgx.Batch{}
	b.Queue(s.sqlDelete, session, last)
	b.Queue(s.sqlInsertSeq, session, last, int64(len(rows)), rows)
	if err = tx.SendBatch(ctx, b).Close(); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// readPrefix reads the messages of the prefix query and the sequence
// number of the last of them.
func readPrefix(br pgx.BatchResults, last *int64) ([]llm.Message, error) {
	rows, err := br.Query()
	if err != nil {
		return nil, err
	}
	return decodeRows(rows, last)
}

// decodeRows decodes rows of (message), or of (seq, message) when seq is
// not nil, leaving in *seq the sequence number of the last row.
func decodeRows(rows pgx.Rows, seq *int64) ([]llm.Message, error) {
	var (
		msgs []llm.Message
		data []byte
	)
	scan := []any{&data}
	if seq != nil {
		scan = []any{seq, &data}
	}
	_, err := pgx.ForEachRow(rows, scan, func() error {
		m, err := decode(data)
		if err != nil {
			return fmt.Errorf("decoding message %d: %w", len(msgs), err)
		}
		msgs = append(msgs, m)
		return nil
	})
	return msgs, err
}

package pgmemory

import (
	"context"
	"fmt"
	"hash/fnv"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/pgcancel"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/memory"
)

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

// queueTimeout adds pgcancel's connection check and SET LOCAL
// statement_timeout (unless the store has none) to b.
func (s *Store) queueTimeout(b *pgx.Batch) {
	b.Queue(pgcancel.CheckSQL)
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

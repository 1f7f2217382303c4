// Package pgmemory is a memory.Store that keeps conversations in
// PostgreSQL, through a pgx/v5 connection pool.
//
//	store, err := pgmemory.New(ctx, pool, pgmemory.Table("chat_memory")) // pool: a *pgxpool.Pool
//	if err != nil {
//		return err // errors.Is(err, chain.ErrConfig) for a nil pool or a bad table name
//	}
//	mem := memory.MustWindow(store, 20) // send the last 20 messages
//	err = mem.Append(ctx, "user-42", llm.User("Hi, I'm Ada."), llm.Assistant("Hello, Ada!"))
//	history, err := mem.Messages(ctx, "user-42")
//
// (ExampleNew holds it; it needs a database, so it has no Output and does
// not run. The package's tests run against one when
// CHORUS_TEST_DATABASE_URL is set.)
//
// Each message is one row of a table (created by New if missing, named by
// the Table option, default DefaultTable): the session ID, a per-session
// sequence number that orders the history, the message as JSONB and the
// time it was stored; the primary key is (session, seq). Appends to one
// session are serialised by a transaction-scoped advisory lock on the
// session (pg_advisory_xact_lock), so concurrent writers — goroutines or
// processes — never lose a message, never reuse a sequence number and
// never interleave their batches. Replace and Clear take the same lock;
// every write is one transaction.
//
// An Append costs two round trips (begin, timeout, lock and insert in one
// batch, then the commit), Messages one, Replace three. The transaction is
// explicit so that a call whose context ends before the commit stores
// nothing: pgx drops the connection and the server rolls back.
//
// Every statement runs with SET LOCAL statement_timeout (StatementTimeout,
// default 30 s; a wait for a session's lock counts), sent in the same
// round trip. A call whose context is cancelled or expires stops on the
// server too, within a fraction of a second: the store sends a cancel
// request for the connection's backend (pgx alone only closes its end)
// and closes the connection's socket at once, which the pool drops; every
// statement also runs with SET LOCAL client_connection_check_interval =
// 100 ms (PostgreSQL 14+), so a backend whose cancel request was lost
// ends its statement when it finds the client gone. Session IDs longer than MaxSessionBytes (256) or holding
// NUL or invalid UTF-8 are refused before anything is sent, with a
// *SessionError (ErrInvalidSession) whose message shortens the ID.
//
// Images are stored in the JSON as base64, up to MaxImageBytes per image.
// Text that JSONB cannot hold (NUL characters, invalid UTF-8) is stored as
// base64 too, so every message comes back exactly as it was appended.
package pgmemory

// Package pgmemory is a memory.Store that keeps conversations in
// PostgreSQL, through a pgx/v5 connection pool.
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
// An Append costs two round trips (begin, lock and insert in one batch,
// then the commit), Messages one, Replace three. The transaction is
// explicit so that a call whose context ends before the commit stores
// nothing: pgx drops the connection and the server rolls back.
//
// Images are stored in the JSON as base64, up to MaxImageBytes per image.
// Text that JSONB cannot hold (NUL characters, invalid UTF-8) is stored as
// base64 too, so every message comes back exactly as it was appended.
package pgmemory

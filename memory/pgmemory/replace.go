package pgmemory

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/chorus-go/chorus/internal/pgcancel"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/memory"
)

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
	for range len(b.QueuedQueries) - 1 { // begin, the check and timeout, the lock
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

package pgvector

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	pgv "github.com/pgvector/pgvector-go"

	"github.com/chorus-go/chorus/internal/pgcancel"
	"github.com/chorus-go/chorus/retrieval"
)

// stageTable is the temporary table a batch is copied into. It lives in
// the session's own temporary schema and is dropped at commit.
const stageTable = "chorus_stage"

// row is a document ready for COPY.
type row struct {
	id, text string
	metadata []byte
	vec      pgv.Vector
}

// Upsert stores docs, replacing those with the same IDs (see the package
// documentation for how). Every document is checked before anything is
// written; a refused one is a *retrieval.DocumentError (matching
// retrieval.ErrInvalidDocument and the reason: an ID longer than
// MaxIDBytes or a text longer than MaxTextBytes matches
// retrieval.ErrTooLong). A failed batch is
// a *BatchError: the batches before it are committed, it and those after
// it are not.
func (s *Store) Upsert(ctx context.Context, docs []retrieval.Document) error {
	rows, err := s.prepare(docs)
	if err != nil || len(rows) == 0 {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	c, err := s.acquire(ctx)
	if err != nil {
		return &BatchError{Err: mark(err)}
	}
	defer c.Release()
	defer pgcancel.OnDone(ctx, c)()
	committed := 0
	for b, start := 0, 0; start < len(rows); b, start = b+1, start+s.cfg.batchSize {
		batch := rows[start:min(start+s.cfg.batchSize, len(rows))]
		if err := pgx.BeginFunc(ctx, c.Conn(), func(tx pgx.Tx) error { return s.writeBatch(ctx, tx, batch) }); err != nil {
			return &BatchError{Batch: b, Committed: committed, Err: mark(err)}
		}
		committed += len(batch)
	}
	return nil
}

// prepare checks and encodes docs. When an ID appears twice, the last
// copy wins (one INSERT ... ON CONFLICT cannot touch a row twice).
func (s *Store) prepare(docs []retrieval.Document) ([]row, error) {
	rows := make([]row, 0, len(docs))
	at := make(map[string]int, len(docs))
	for i, d := range docs {
		md, err := retrieval.Prepare(d, s.dim, s.cfg.metric)
		switch {
		case err != nil:
		case len(d.ID) > MaxIDBytes:
			err = fmt.Errorf("%w: id is %d bytes, the limit is %d", retrieval.ErrTooLong, len(d.ID), MaxIDBytes)
		case len(d.Text) > s.cfg.maxText:
			err = fmt.Errorf("%w: text is %d bytes, the limit is %d (MaxTextBytes)", retrieval.ErrTooLong, len(d.Text), s.cfg.maxText)
		}
		if err != nil {
			return nil, &retrieval.DocumentError{Index: i, ID: d.ID, Err: err}
		}
		r := row{id: d.ID, text: d.Text, metadata: md, vec: pgv.NewVector(d.Embedding)}
		if j, ok := at[d.ID]; ok {
			rows[j] = r
			continue
		}
		at[d.ID] = len(rows)
		rows = append(rows, r)
	}
	return rows, nil
}

// stageSQL is the statement that starts a batch: pgcancel's connection
// check and the statement timeout (SET LOCAL, for the batch's
// transaction) and the staging table, in one round trip (Exec without
// arguments uses the simple protocol, which takes several statements).
func (s *Store) stageSQL() string {
	if ms := s.timeoutMillis(); ms > 0 {
		return fmt.Sprintf("%s; SET LOCAL statement_timeout = %d; %s", pgcancel.CheckSQL, ms, s.sqlStage)
	}
	return pgcancel.CheckSQL + "; " + s.sqlStage
}

// writeBatch copies a batch into a temporary table and upserts it from
// there with one statement.
func (s *Store) writeBatch(ctx context.Context, tx pgx.Tx, batch []row) error {
	if _, err := tx.Exec(ctx, s.stageSQL()); err != nil {
		return err
	}
	n, err := tx.CopyFrom(ctx, pgx.Identifier{stageTable}, []string{"id", "content", "metadata", "embedding"},
		pgx.CopyFromSlice(len(batch), func(i int) ([]any, error) {
			r := &batch[i]
			return []any{r.id, r.text, r.metadata, r.vec}, nil
		}))
	if err != nil {
		return err
	}
	if int(n) != len(batch) {
		return fmt.Errorf("copied %d rows of %d", n, len(batch))
	}
	_, err = tx.Exec(ctx, s.sqlUpsert)
	return err
}

// Delete removes the documents with these IDs. IDs no document can have
// (invalid UTF-8, NUL characters) are ignored like unknown ones.
func (s *Store) Delete(ctx context.Context, ids ...string) error {
	valid := make([]string, 0, len(ids))
	for _, id := range ids {
		if validText(id) {
			valid = append(valid, id)
		}
	}
	if len(valid) == 0 {
		return ctx.Err()
	}
	_, err := s.pool.Exec(ctx, s.sqlDelete, valid)
	return wrap("delete", err)
}

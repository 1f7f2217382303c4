package pgvector

import (
	"context"
	"errors"
	"io"

	"github.com/jackc/pgx/v5/pgxpool"
	pgxvec "github.com/pgvector/pgvector-go/pgx"
)

// acquire takes a connection from the pool, teaching it the vector type
// the first time (one query per connection), so that the pool needs no
// AfterConnect hook of ours.
func (s *Store) acquire(ctx context.Context) (*pgxpool.Conn, error) {
	c, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	if _, ok := c.Conn().TypeMap().TypeForName("vector"); !ok {
		if err := pgxvec.RegisterTypes(ctx, c.Conn()); err != nil {
			c.Release()
			return nil, err
		}
	}
	return c, nil
}

func isEOF(err error) bool { return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) }

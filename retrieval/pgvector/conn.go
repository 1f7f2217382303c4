package pgvector

import (
	"context"
	"errors"
	"io"
	"time"

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

// cancelTimeout bounds the sending of a cancel request and the closing of
// a cancelled connection.
const cancelTimeout = 5 * time.Second

// cancelOnDone makes sure a statement of c stops on the server when ctx
// ends: pgx, by default, only closes its end of the connection, and the
// server goes on running the statement until it next writes to the
// client, which a long search or a wait for a lock may not do for a long
// time. When ctx ends before stop is called, a cancel request for c's
// backend goes to the server (on a new connection, as PostgreSQL wants).
// stop waits for that request to be sent and then closes c, which the
// pool then drops: a cancel that arrives late must not hit the next
// user's statement. The store's own pool configuration needs nothing.
func cancelOnDone(ctx context.Context, c *pgxpool.Conn) (stop func()) {
	pg := c.Conn().PgConn()
	done := make(chan struct{})
	unregister := context.AfterFunc(ctx, func() {
		defer close(done)
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cancelTimeout)
		defer cancel()
		_ = pg.CancelRequest(cctx) // best effort: the statement timeout is the backstop
	})
	return func() {
		if unregister() {
			return
		}
		<-done
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cancelTimeout)
		defer cancel()
		_ = pg.Close(cctx)
	}
}

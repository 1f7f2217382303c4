package pgmemory

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// cancelTimeout bounds the sending of a cancel request and the closing of
// a cancelled connection.
const cancelTimeout = 5 * time.Second

// cancelOnDone makes sure a statement of c stops on the server when ctx
// ends: pgx, by default, only closes its end of the connection, and the
// server goes on with the statement (a wait for a session's lock, a long
// read) until it next writes to the client. When ctx ends before stop is
// called, a cancel request for c's backend goes to the server. stop waits
// for it to be sent and then closes c, which the pool then drops, so that
// a late cancel cannot hit the next user's statement.
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

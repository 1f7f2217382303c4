// Package pgcancel makes a cancelled context stop a statement on the
// PostgreSQL server, for the Chorus stores on pgx (retrieval/pgvector and
// memory/pgmemory).
package pgcancel

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Timeout bounds the sending of a cancel request and the closing of a
// cancelled connection.
const Timeout = 5 * time.Second

// OnDone makes sure a statement of c stops on the server when ctx ends:
// pgx, by default, only closes its end of the connection, and the server
// goes on running the statement until it next writes to the client, which
// a long search or a wait for a lock may not do for a long time. When ctx
// ends before stop is called, a cancel request for c's backend goes to
// the server (on a new connection, as PostgreSQL wants). stop waits for
// that request to be sent and then closes c, which the pool then drops: a
// cancel that arrives late must not hit the next user's statement. The
// user's pool configuration needs nothing.
func OnDone(ctx context.Context, c *pgxpool.Conn) (stop func()) {
	pg := c.Conn().PgConn()
	done := make(chan struct{})
	unregister := context.AfterFunc(ctx, func() {
		defer close(done)
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), Timeout)
		defer cancel()
		_ = pg.CancelRequest(cctx) // best effort: the statement timeout is the backstop
	})
	return func() {
		if unregister() {
			return
		}
		<-done
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), Timeout)
		defer cancel()
		_ = pg.Close(cctx)
	}
}

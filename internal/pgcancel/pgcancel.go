// Package pgcancel makes a cancelled context stop a statement on the
// PostgreSQL server, for the Chorus stores on pgx (retrieval/pgvector and
// memory/pgmemory).
package pgcancel

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CheckSQL makes the backend of the statements that follow it, up to the
// end of their transaction (SET LOCAL), look every 100 ms, while a
// statement runs, for a client that has gone away, and end the statement
// when it has (client_connection_check_interval; Linux servers). A cancel
// request that reaches the server between two messages of a pipeline, a
// moment when PostgreSQL drops cancel requests, is then not lost: the
// statement that starts after it still stops within 100 ms of the
// connection's closing, instead of running until it next writes to the
// client or until its statement timeout. It does nothing on a server that
// does not know the setting (PostgreSQL before 14).
const CheckSQL = "SELECT CASE WHEN current_setting('client_connection_check_interval', true) IS NOT NULL THEN set_config('client_connection_check_interval', '100ms', true) END"

// Timeout bounds the sending of a cancel request and the closing of a
// cancelled connection.
const Timeout = 5 * time.Second

// OnDone makes sure a statement of c stops on the server when ctx ends:
// pgx, by default, only closes its end of the connection, and the server
// goes on running the statement until it next writes to the client, which
// a long search or a wait for a lock may not do for a long time. When ctx
// ends before stop is called, a cancel request for c's backend goes to
// the server (on a new connection, as PostgreSQL wants), and stop closes
// c's socket at once, waits for the request to be sent and closes c,
// which the pool then drops: a cancel that arrives late must not hit the
// next user's statement, and a backend whose statement started after the
// cancel request arrived must see the client gone (CheckSQL). The
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
		// Close the socket first: pgx may have closed the connection its
		// own way, which sends a Terminate and then reads what the server
		// sends until the server hangs up (up to 15 s) before closing the
		// socket, so the server would see the client still there and go
		// on with a statement whose cancel request it dropped. With the
		// socket closed, the backend's connection check (CheckSQL) ends
		// it; a cancel request still on its way finds the backend gone or
		// stops the same statement.
		_ = pg.Conn().Close()
		<-done
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), Timeout)
		defer cancel()
		_ = pg.Close(cctx)
	}
}

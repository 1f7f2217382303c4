package pgvector

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/chorus-go/chorus/internal/pgproxy"
	"github.com/chorus-go/chorus/retrieval"
)

// Even when the cancel request never reaches the server, a cancelled
// search stops there within a second: the store's connection is closed at
// once and the backend, which checks for a closed connection while it
// runs (client_connection_check_interval), ends the statement instead of
// computing it until its statement timeout.
func TestLostCancelRequest(t *testing.T) {
	pool := newPool(t, func(c *pgxpool.Config) { pgproxy.DropCancels(t, c) })
	watch := newPool(t, func(c *pgxpool.Config) { c.MaxConns = 1 })
	s, slow := slowStore(t, pool)
	for _, name := range []string{"cancel", "deadline"} {
		var (
			ctx    context.Context
			cancel context.CancelFunc
		)
		if name == "cancel" {
			ctx, cancel = context.WithCancel(testCtx(t))
		} else {
			ctx, cancel = context.WithTimeout(testCtx(t), time.Second)
		}
		errc := make(chan error, 1)
		go func() {
			_, err := s.Search(ctx, limitDoc(0).Embedding, 1, retrieval.Where(slow))
			errc <- err
		}()
		if _, ok := poll(func() bool { return activeOn(t, watch, s, 0) == 1 }); !ok {
			cancel()
			<-errc
			t.Fatalf("%s: the search never showed as active", name)
		}
		if name == "cancel" {
			cancel()
		}
		err := <-errc
		if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: %v, want an error matching the context's", name, err)
		}
		took, ok := poll(func() bool { return activeOn(t, watch, s, 0) == 0 })
		t.Logf("%s: backend gone from pg_stat_activity %v after the call returned", name, took)
		if !ok || took > time.Second {
			t.Errorf("%s: the search still ran on the server %v after the call returned, want under a second", name, took)
		}
		cancel()
	}
}

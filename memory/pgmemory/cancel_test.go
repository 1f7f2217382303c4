package pgmemory

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/chorus-go/chorus/internal/pgproxy"
	"github.com/chorus-go/chorus/llm"
)

// holdSessionLock takes the session's lock from another transaction until
// the returned function (also run at the end of the test) releases it.
func holdSessionLock(t *testing.T, s *Store, session string) (pid uint32, release func()) {
	t.Helper()
	ctx := context.Background()
	c, err := s.pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := c.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, s.sqlLock, session, s.seed); err != nil {
		t.Fatal(err)
	}
	done := false
	release = func() {
		if !done {
			done = true
			_ = tx.Rollback(ctx)
			c.Release()
		}
	}
	t.Cleanup(release)
	return c.Conn().PgConn().PID(), release
}

// waiting counts the backends, other than pid, running the lock statement.
func waiting(t *testing.T, s *Store, pid uint32) int {
	t.Helper()
	var n int
	err := s.pool.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity
WHERE state = 'active' AND pid <> pg_backend_pid() AND pid <> $1 AND query = $2`, int32(pid), s.sqlLock).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// poll calls cond every 10 ms until it holds or 5 s pass.
func poll(cond func() bool) (time.Duration, bool) {
	start := time.Now()
	for time.Since(start) < 5*time.Second {
		if cond() {
			return time.Since(start), true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return time.Since(start), cond()
}

// A cancelled Append, Replace or Clear waiting for the session's lock
// stops on the server: its backend is gone from pg_stat_activity soon
// after the call returns, and nothing is written.
func TestCancelStopsTheStatementOnTheServer(t *testing.T) {
	testCancelStops(t, testPool(t))
}

// Even when the cancel request never reaches the server, a cancelled
// call waiting for the session's lock stops there within a second: the
// store closes the connection at once and the backend, which checks for
// a closed connection while it waits (client_connection_check_interval),
// ends the statement.
func TestLostCancelRequest(t *testing.T) {
	testCancelStops(t, testPoolWith(t, func(c *pgxpool.Config) { pgproxy.DropCancels(t, c) }))
}

// testCancelStops cancels each writing call while it waits for the
// session's lock and checks that its backend is gone from
// pg_stat_activity within a second of the call's return.
func testCancelStops(t *testing.T, pool *pgxpool.Pool) {
	s := newStore(t, pool)
	ops := map[string]func(ctx context.Context) error{
		"append":  func(ctx context.Context) error { return s.Append(ctx, "s", llm.User("x")) },
		"replace": func(ctx context.Context) error { return s.Replace(ctx, "s", nil, []llm.Message{llm.User("x")}) },
		"clear":   func(ctx context.Context) error { return s.Clear(ctx, "s") },
	}
	for name, op := range ops {
		pid, release := holdSessionLock(t, s, "s")
		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error, 1)
		go func() { errc <- op(ctx) }()
		if _, ok := poll(func() bool { return waiting(t, s, pid) == 1 }); !ok {
			cancel()
			<-errc
			t.Fatalf("%s: never waited for the lock", name)
		}
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Errorf("%s: %v, want an error matching context.Canceled", name, err)
		}
		took, ok := poll(func() bool { return waiting(t, s, pid) == 0 })
		t.Logf("%s: backend gone from pg_stat_activity %v after the call returned", name, took)
		if !ok || took > time.Second {
			t.Errorf("%s: still waiting on the server %v after the call returned, want under a second", name, took)
		}
		release()
	}
	msgs, err := s.Messages(context.Background(), "s")
	if err != nil || len(msgs) != 0 {
		t.Fatalf("after the cancelled calls: %v, %v", msgs, err)
	}
}

// With StatementTimeout, a wait for the session's lock longer than the
// timeout fails with SQLSTATE 57014, and the store stays usable.
func TestStatementTimeout(t *testing.T) {
	pool := testPool(t)
	s := newStore(t, pool, StatementTimeout(200*time.Millisecond))
	_, release := holdSessionLock(t, s, "s")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	start := time.Now()
	err := s.Append(ctx, "s", llm.User("x"))
	t.Logf("append returned after %v", time.Since(start))
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "57014" {
		t.Fatalf("append: %v, want SQLSTATE 57014", err)
	}
	release()
	if err := s.Append(ctx, "s", llm.User("y")); err != nil {
		t.Fatal(err)
	}
	msgs, err := s.Messages(ctx, "s")
	if err != nil || len(msgs) != 1 || msgs[0].Text() != "y" {
		t.Fatalf("after the timeout: %v, %v", msgs, err)
	}
	var setting string
	if err := pool.QueryRow(ctx, "SHOW statement_timeout").Scan(&setting); err != nil || setting != "0" {
		t.Errorf("statement_timeout outside the store's statements: %q, %v", setting, err)
	}
	if _, err := New(ctx, pool, StatementTimeout(-1)); err == nil {
		t.Error("StatementTimeout(-1) accepted")
	}
}

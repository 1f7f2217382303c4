package pgvector

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/chorus-go/chorus/retrieval"
)

// lockTable holds an ACCESS EXCLUSIVE lock on the store's table from
// another connection until the returned function (also run at the end of
// the test) releases it: every statement of the store on the table then
// waits, active on the server, for as long as the lock is held.
func lockTable(t *testing.T, s *Store) (lockerPID uint32, release func()) {
	t.Helper()
	conn := connect(t)
	tx, err := conn.Begin(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(testCtx(t), "LOCK TABLE "+s.Table()+" IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	done := false
	release = func() {
		if !done {
			done = true
			_ = tx.Rollback(context.Background())
		}
	}
	t.Cleanup(release)
	return conn.PgConn().PID(), release
}

// activeOn counts the backends, other than the locker, running a
// statement that names the store's table.
func activeOn(t *testing.T, pool *pgxpool.Pool, s *Store, locker uint32) int {
	t.Helper()
	var n int
	err := pool.QueryRow(testCtx(t), `SELECT count(*) FROM pg_stat_activity
WHERE state = 'active' AND pid <> pg_backend_pid() AND pid <> $1 AND position($2 in query) > 0`,
		int32(locker), s.name).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// poll calls cond every 10 ms until it holds or 5 s pass, and returns how
// long it took and whether it held.
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

// slowStore returns a store whose filtered search burns the server's CPU
// for seconds (a sequential scan of 150,000 rows, each tested against a
// few hundred conditions: an Or, which PostgreSQL cannot hash as it hashes
// an In's values), and that filter.
func slowStore(t *testing.T, pool *pgxpool.Pool, opts ...Option) (*Store, retrieval.Filter) {
	t.Helper()
	opts = append([]Option{DeferIndex(), TextSearch(""), FilterLimits(1000, 1<<20)}, opts...)
	s := newTestStore(t, pool, 8, opts...)
	exec(t, pool, `INSERT INTO `+s.Table()+` (id, content, metadata, embedding)
SELECT i::text, 'x', jsonb_build_object('k', i), '[1,0,0,0,0,0,0,0]'::vector FROM generate_series(1, 150000) i`)
	or := make([]retrieval.Filter, 300)
	for i := range or {
		or[i] = retrieval.Eq("k", fmt.Sprintf("v%d", i))
	}
	return s, retrieval.Or(or...)
}

// A cancelled search stops on the server, not only in the caller: its
// backend is gone from pg_stat_activity within a second of the call's
// return. (pgx alone only closes its end of the connection; the server
// goes on computing the search until it next writes to the client.) The
// store's pool has pgx's default configuration.
func TestCancelStopsTheSearchOnTheServer(t *testing.T) {
	testCancelStops(t, newPool(t, nil))
}

// testCancelStops cancels, then times out, a CPU-bound search of a store
// on pool, and checks that its backend is gone from pg_stat_activity
// within a second of the call's return and that the pool still works.
func testCancelStops(t *testing.T, pool *pgxpool.Pool) {
	t.Helper()
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
	if _, err := s.Count(testCtx(t)); err != nil {
		t.Fatal(err)
	}
}

// A context that ends while the batch is on its way (before, between or
// just after its statements start on the server, where PostgreSQL may
// drop the cancel request) still stops the search on the server within a
// second: the backend checks for a closed connection while it runs
// (pgcancel.CheckSQL).
func TestCancelRacingTheBatch(t *testing.T) {
	pool := newPool(t, nil)
	watch := newPool(t, func(c *pgxpool.Config) { c.MaxConns = 1 })
	s, slow := slowStore(t, pool)
	for i := range 12 {
		d := time.Duration(i) * 2 * time.Millisecond
		ctx, cancel := context.WithTimeout(testCtx(t), d)
		_, err := s.Search(ctx, limitDoc(0).Embedding, 1, retrieval.Where(slow))
		cancel()
		if err == nil {
			t.Fatalf("deadline %v: the search succeeded", d)
		}
		took, ok := poll(func() bool { return activeOn(t, watch, s, 0) == 0 })
		if !ok || took > time.Second {
			t.Errorf("deadline %v: the search still ran on the server %v after the call returned, want under a second", d, took)
		}
	}
}

// A cancelled search, hybrid search or upsert waiting for a lock returns,
// its statement is gone from the server, and nothing is written.
func TestCancelWhileWaitingForALock(t *testing.T) {
	pool := newPool(t, nil)
	watch := newPool(t, func(c *pgxpool.Config) { c.MaxConns = 1 })
	s := newTestStore(t, pool, 8)
	if err := s.Upsert(testCtx(t), []retrieval.Document{limitDoc(0), limitDoc(1)}); err != nil {
		t.Fatal(err)
	}
	ops := map[string]func(ctx context.Context) error{
		"search": func(ctx context.Context) error {
			_, err := s.Search(ctx, limitDoc(0).Embedding, 1)
			return err
		},
		"hybrid search": func(ctx context.Context) error {
			_, err := s.HybridSearch(ctx, "document", limitDoc(0).Embedding, 1)
			return err
		},
		"upsert": func(ctx context.Context) error { return s.Upsert(ctx, []retrieval.Document{limitDoc(5)}) },
	}
	for name, op := range ops {
		locker, release := lockTable(t, s)
		ctx, cancel := context.WithCancel(testCtx(t))
		errc := make(chan error, 1)
		go func() { errc <- op(ctx) }()
		if _, ok := poll(func() bool { return activeOn(t, watch, s, locker) == 1 }); !ok {
			cancel()
			<-errc
			t.Fatalf("%s: the statement never showed as active, waiting for the lock", name)
		}
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Errorf("%s: %v, want an error matching context.Canceled", name, err)
		}
		took, ok := poll(func() bool { return activeOn(t, watch, s, locker) == 0 })
		t.Logf("%s: backend gone from pg_stat_activity %v after the call returned", name, took)
		if !ok {
			t.Errorf("%s: the statement still runs on the server %v after the cancel", name, took)
		}
		release()
	}
	if n, err := s.Count(testCtx(t)); err != nil || n != 2 {
		t.Fatalf("count after the cancels: %d, %v; want 2", n, err)
	}
}

// With StatementTimeout, a statement that runs longer is cancelled by the
// server (SQLSTATE 57014), and the store stays usable.
func TestStatementTimeout(t *testing.T) {
	pool := newPool(t, nil)
	watch := newPool(t, func(c *pgxpool.Config) { c.MaxConns = 1 })
	s, slow := slowStore(t, pool, StatementTimeout(200*time.Millisecond))
	ctx, cancel := context.WithTimeout(testCtx(t), 20*time.Second)
	defer cancel()
	start := time.Now()
	_, serr := s.Search(ctx, limitDoc(0).Embedding, 1, retrieval.Where(slow))
	t.Logf("slow search returned after %v", time.Since(start))
	// an upsert waiting for a lock (its statements are sent as text, so the
	// timeout covers their planning too)
	locker, release := lockTable(t, s)
	start = time.Now()
	uerr := s.Upsert(ctx, []retrieval.Document{limitDoc(1)})
	t.Logf("upsert against a locked table returned after %v", time.Since(start))
	for name, err := range map[string]error{"search": serr, "upsert": uerr} {
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "57014" {
			t.Errorf("%s: %v, want SQLSTATE 57014 (statement timeout)", name, err)
		}
	}
	if n := activeOn(t, watch, s, locker); n != 0 {
		t.Errorf("%d statements still active after their timeout", n)
	}
	release()
	got, err := s.Search(ctx, limitDoc(0).Embedding, 1)
	if err != nil || len(got) != 1 {
		t.Fatalf("search after the timeouts: %d results, %v", len(got), err)
	}
	// the setting was local to the store's statements
	var setting string
	if err := pool.QueryRow(ctx, "SHOW statement_timeout").Scan(&setting); err != nil || setting != "0" {
		t.Errorf("statement_timeout outside the store's statements: %q, %v", setting, err)
	}
}

package pgmemory

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// testPool returns a pool on CHORUS_TEST_DATABASE_URL, closed when the
// test ends, or skips the test.
func testPool(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	return testPoolWith(tb, nil)
}

// testPoolWith is testPool with the pool's configuration changed by
// configure.
func testPoolWith(tb testing.TB, configure func(*pgxpool.Config)) *pgxpool.Pool {
	tb.Helper()
	url := os.Getenv("CHORUS_TEST_DATABASE_URL")
	if url == "" {
		tb.Skip("set CHORUS_TEST_DATABASE_URL or run make test (it starts PostgreSQL)")
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		tb.Fatal(err)
	}
	cfg.MaxConns = 8
	if configure != nil {
		configure(cfg)
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(pool.Close)
	return pool
}

var tables atomic.Int64

// tableName returns a table name no other test uses, in this process or
// another one.
func tableName() string {
	return fmt.Sprintf("memtest_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, tables.Add(1))
}

// dropTable drops a table when the test ends.
func dropTable(tb testing.TB, pool *pgxpool.Pool, name string) {
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := pool.Exec(ctx, "DROP TABLE IF EXISTS "+name); err != nil {
			tb.Errorf("dropping %s: %v", name, err)
		}
	})
}

// newStore returns a store on a fresh table that is dropped when the test
// ends (before the pool is closed: cleanups run last-registered first).
func newStore(tb testing.TB, pool *pgxpool.Pool, opts ...Option) *Store {
	tb.Helper()
	name := tableName()
	s, err := New(context.Background(), pool, append([]Option{Table(name)}, opts...)...)
	if err != nil {
		tb.Fatal(err)
	}
	dropTable(tb, pool, s.Name())
	return s
}

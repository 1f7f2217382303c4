package pgvector

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// dbURL returns the test database's URL or skips the test.
func dbURL(t testing.TB) string {
	t.Helper()
	url := os.Getenv("CHORUS_TEST_DATABASE_URL")
	if url == "" {
		t.Skip("set CHORUS_TEST_DATABASE_URL or run make test (it starts PostgreSQL + pgvector)")
	}
	return url
}

// newPool opens a pool on the test database, closed when the test ends.
// configure, if not nil, adjusts the pool's configuration first.
func newPool(t testing.TB, configure func(*pgxpool.Config)) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(dbURL(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 8
	if configure != nil {
		configure(cfg)
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// connect opens a single connection, closed when the test ends.
func connect(t testing.TB) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dbURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// uniqueName returns a table name no other test uses.
func uniqueName(prefix string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return prefix + "_" + hex.EncodeToString(b)
}

// newTestStore makes a store on a fresh table that is dropped when the
// test ends.
func newTestStore(t testing.TB, pool *pgxpool.Pool, dim int, opts ...Option) *Store {
	t.Helper()
	table := uniqueName("chorus_test")
	dropAtEnd(t, pool, table)
	s, err := New(testCtx(t), pool, table, dim, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	dropQuotedAtEnd(t, pool, s.Table()) // schema-qualified
	return s
}

// dropAtEnd drops a table when the test ends (before its pool closes).
func dropAtEnd(t testing.TB, pool *pgxpool.Pool, table string) {
	dropQuotedAtEnd(t, pool, quote(table))
}

func dropQuotedAtEnd(t testing.TB, pool *pgxpool.Pool, quoted string) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := pool.Exec(ctx, "DROP TABLE IF EXISTS "+quoted); err != nil {
			t.Errorf("drop %s: %v", quoted, err)
		}
	})
}

// testCtx ends with the test or after two minutes.
func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// exec runs a statement on the pool or fails the test.
func exec(t testing.TB, pool *pgxpool.Pool, sql string, args ...any) {
	t.Helper()
	if _, err := pool.Exec(testCtx(t), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func docID(i int) string { return fmt.Sprintf("doc-%05d", i) }

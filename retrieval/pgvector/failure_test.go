package pgvector

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/retrieval"
)

// A backend killed in the middle of a batch loses nothing committed and
// leaves nothing of the batch; the same batch succeeds when retried.
func TestKilledBackendDuringIngest(t *testing.T) {
	app := uniqueName("chorus_kill")
	pool := newPool(t, func(c *pgxpool.Config) {
		c.ConnConfig.RuntimeParams["application_name"] = app
		c.MaxConns = 2
	})
	s := newTestStore(t, pool, 8)
	docs := clusteredDocs(100, 8, 6)
	batch1, batch2 := docs[:50], docs[50:]
	if err := s.Upsert(testCtx(t), batch1); err != nil {
		t.Fatal(err)
	}

	// Hold a lock that the batch's INSERT waits for, so that the backend
	// can be killed while the batch is in flight (its COPY done).
	locker := connect(t)
	if _, err := locker.Exec(testCtx(t), "BEGIN"); err != nil {
		t.Fatal(err)
	}
	if _, err := locker.Exec(testCtx(t), "LOCK TABLE "+s.Table()+" IN SHARE MODE"); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Upsert(testCtx(t), batch2) }()

	var pid uint32
	deadline := time.Now().Add(20 * time.Second)
	for pid == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the ingest never waited for the lock; its backends: %s", activity(t, locker, app))
		}
		select {
		case err := <-done:
			t.Fatalf("the ingest ended before it waited for the lock: %v; backends: %s", err, activity(t, locker, app))
		default:
		}
		// pg_stat_activity is a snapshot kept until the end of the
		// locker's transaction: clear it so each look sees the present.
		if _, err := locker.Exec(testCtx(t), "SELECT pg_stat_clear_snapshot()"); err != nil {
			t.Fatal(err)
		}
		err := locker.QueryRow(testCtx(t), `SELECT pid FROM pg_stat_activity
			WHERE application_name = $1 AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO%'`, app).Scan(&pid)
		if err != nil && !errNoRows(err) {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	var killed bool
	if err := locker.QueryRow(testCtx(t), "SELECT pg_terminate_backend($1)", pid).Scan(&killed); err != nil || !killed {
		t.Fatalf("pg_terminate_backend(%d): %v %v", pid, killed, err)
	}
	err := <-done
	if _, lerr := locker.Exec(testCtx(t), "ROLLBACK"); lerr != nil {
		t.Fatal(lerr)
	}
	var be *BatchError
	if !errors.As(err, &be) || be.Batch != 0 || be.Committed != 0 {
		t.Fatalf("ingest of a killed backend: %v, want a *BatchError for batch 0", err)
	}
	if !chain.IsRetryable(err) {
		t.Fatalf("a killed connection should be retryable: %v", err)
	}
	t.Logf("error: %v", err)

	if got := storedIDs(t, s); !equalIDs(got, batch1) {
		t.Fatalf("after the kill the table holds %d documents, want exactly batch 1 (%d)", len(got), len(batch1))
	}
	// retry, through chain.Retry as a caller would
	retry := chain.Retry(chain.Fn(func(ctx context.Context, d []retrieval.Document) (int, error) {
		return len(d), s.Upsert(ctx, d)
	}), chain.Attempts(3), chain.Backoff(time.Millisecond, 10*time.Millisecond))
	if _, err := retry.Run(testCtx(t), batch2); err != nil {
		t.Fatalf("retry of batch 2: %v", err)
	}
	if got := storedIDs(t, s); !equalIDs(got, docs) {
		t.Fatalf("after the retry: %d documents, want %d", len(got), len(docs))
	}
}

// activity describes the backends of an application, for failure messages.
func activity(t *testing.T, c interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, app string) string {
	rows, err := c.Query(context.Background(), `SELECT pid, state, coalesce(wait_event_type, ''), left(query, 80)
		FROM pg_stat_activity WHERE application_name = $1`, app)
	if err != nil {
		return err.Error()
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var pid int
		var state, wait, query string
		if err := rows.Scan(&pid, &state, &wait, &query); err != nil {
			return err.Error()
		}
		fmt.Fprintf(&b, "[%d %s %s %q] ", pid, state, wait, query)
	}
	return b.String()
}

func storedIDs(t *testing.T, s *Store) map[string]bool {
	t.Helper()
	rows, err := s.pool.Query(testCtx(t), "SELECT id FROM "+s.Table())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	ids := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids[id] = true
	}
	return ids
}

func equalIDs(got map[string]bool, want []retrieval.Document) bool {
	if len(got) != len(want) {
		return false
	}
	for _, d := range want {
		if !got[d.ID] {
			return false
		}
	}
	return true
}

// proxy forwards TCP connections to the database until it is closed, when
// it cuts them all: the database "goes away".
type proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  []net.Conn
	wg     sync.WaitGroup
}

func startProxy(t *testing.T, target string) *proxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target}
	p.wg.Add(1)
	go p.serve()
	t.Cleanup(p.close)
	return p
}

func (p *proxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, up)
		p.mu.Unlock()
		p.wg.Add(2)
		go func() { defer p.wg.Done(); io.Copy(up, c); up.Close() }()
		go func() { defer p.wg.Done(); io.Copy(c, up); c.Close() }()
	}
}

// close stops accepting and cuts every connection.
func (p *proxy) close() {
	p.ln.Close()
	p.mu.Lock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
	p.mu.Unlock()
	p.wg.Wait()
}

// A database that goes away gives clear errors, no panic and no leaked
// goroutine (TestMain checks).
func TestDatabaseGoesAway(t *testing.T) {
	cfg, err := pgxpool.ParseConfig(dbURL(t))
	if err != nil {
		t.Fatal(err)
	}
	p := startProxy(t, net.JoinHostPort(cfg.ConnConfig.Host, itoa(int(cfg.ConnConfig.Port))))
	pool := newPool(t, func(c *pgxpool.Config) {
		host, port, _ := net.SplitHostPort(p.ln.Addr().String())
		c.ConnConfig.Host = host
		c.ConnConfig.Port = uint16(atoi(port))
		c.ConnConfig.ConnectTimeout = 2 * time.Second
		c.MaxConns = 2
	})
	direct := newPool(t, nil)
	table := uniqueName("chorus_test")
	dropAtEnd(t, direct, table)
	s, err := New(testCtx(t), pool, table, 8)
	if err != nil {
		t.Fatal(err)
	}
	docs := clusteredDocs(20, 8, 7)
	if err := s.Upsert(testCtx(t), docs[:10]); err != nil {
		t.Fatal(err)
	}

	p.close()

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err = s.Search(ctx, docs[0].Embedding, 3)
	checkGone(t, "search", err)
	err = s.Upsert(ctx, docs[10:])
	checkGone(t, "upsert", err)
	var be *BatchError
	if !errors.As(err, &be) || be.Committed != 0 {
		t.Fatalf("upsert: %v, want a *BatchError", err)
	}
	_, err = s.HybridSearch(ctx, "document", docs[0].Embedding, 3)
	checkGone(t, "hybrid search", err)
	checkGone(t, "delete", s.Delete(ctx, docs[0].ID))
	_, err = s.Count(ctx)
	checkGone(t, "count", err)
	checkGone(t, "create index", s.CreateIndex(ctx))
	_, err = New(ctx, pool, table, 8)
	checkGone(t, "new", err)
	if ctx.Err() != nil {
		t.Fatal("calls hung instead of failing")
	}

	// nothing of the failed upsert reached the table
	var n int
	if err := direct.QueryRow(testCtx(t), "SELECT count(*) FROM "+quote(table)).Scan(&n); err != nil || n != 10 {
		t.Fatalf("table holds %d rows (%v), want 10", n, err)
	}
}

func checkGone(t *testing.T, op string, err error) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s succeeded with the database gone", op)
	}
	if !strings.HasPrefix(err.Error(), "pgvector:") {
		t.Errorf("%s: error %q does not say where it comes from", op, err)
	}
	if !chain.IsRetryable(err) {
		t.Errorf("%s: a lost database should be retryable: %v", op, err)
	}
	t.Logf("%s: %v", op, err)
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

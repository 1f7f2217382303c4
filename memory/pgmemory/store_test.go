package pgmemory

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/memory"
	"github.com/chorus-go/chorus/memory/memorytest"
)

func TestContract(t *testing.T) {
	pool := testPool(t)
	memorytest.TestStore(t, func(t *testing.T) memory.Store { return newStore(t, pool) })
}

func TestNewTableNames(t *testing.T) {
	pool := testPool(t)
	ctx := context.Background()
	for _, name := range []string{"", "1abc", "a-b", "a b", `a"b`, "a;drop table x", "a.b.c", ".a", "a.", strings.Repeat("x", 64), "ünï"} {
		if _, err := New(ctx, pool, Table(name)); !errors.Is(err, ErrInvalidTable) {
			t.Errorf("Table(%q): got %v, want ErrInvalidTable", name, err)
		}
	}
	// A schema-qualified, mixed-case name is quoted and works.
	name := "public.Mem_" + tableName()
	s, err := New(ctx, pool, Table(name))
	if err != nil {
		t.Fatal(err)
	}
	dropTable(t, pool, s.Name())
	if s.Name() != `"public"."Mem_`+name[len("public.Mem_"):]+`"` {
		t.Errorf("Name() = %s", s.Name())
	}
	if err := s.Append(ctx, "x", llm.User("hi")); err != nil {
		t.Fatal(err)
	}
	if _, err := New(ctx, pool, MaxImageBytes(-1)); err == nil {
		t.Error("MaxImageBytes(-1) accepted")
	}
	if _, err := New(ctx, nil); err == nil {
		t.Error("nil pool accepted")
	}
}

// TestConfigErrors needs no database: a nil pool is refused first.
func TestConfigErrors(t *testing.T) {
	if _, err := New(context.Background(), nil); !errors.Is(err, chain.ErrConfig) {
		t.Errorf("nil pool: err = %v, want chain.ErrConfig", err)
	}
	if !errors.Is(fmt.Errorf("x: %w", ErrInvalidTable), chain.ErrConfig) {
		t.Error("ErrInvalidTable does not match chain.ErrConfig")
	}
}

func TestNewIdempotent(t *testing.T) {
	pool := testPool(t)
	ctx := context.Background()
	name := tableName()
	dropTable(t, pool, name)
	// Many processes starting at once: every New succeeds.
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { _, errs[i] = New(ctx, pool, Table(name)) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	s, err := New(ctx, pool, Table(name))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Append(ctx, "x", llm.User("kept")); err != nil {
		t.Fatal(err)
	}
	// Again: the data stays.
	s, err = New(ctx, pool, Table(name))
	if err != nil {
		t.Fatal(err)
	}
	if msgs, err := s.Messages(ctx, "x"); err != nil || len(msgs) != 1 {
		t.Fatalf("after New again: %v, %v", msgs, err)
	}
}

func TestNewWrongTable(t *testing.T) {
	pool := testPool(t)
	ctx := context.Background()
	name := tableName()
	dropTable(t, pool, name)
	if _, err := pool.Exec(ctx, "CREATE TABLE "+name+" (id int)"); err != nil {
		t.Fatal(err)
	}
	if _, err := New(ctx, pool, Table(name)); err == nil || !strings.Contains(err.Error(), "session") {
		t.Fatalf("a table with other columns: got %v", err)
	}
}

func TestStoredJSON(t *testing.T) {
	pool := testPool(t)
	s := newStore(t, pool)
	ctx := context.Background()
	call := llm.ToolCall{ID: "c1", Name: "lookup", Arguments: []byte(`{"q":"x"}`)}
	err := s.Append(ctx, "s",
		llm.User("hi", llm.Image{MIMEType: "image/png", Data: []byte{1, 2, 3}}),
		llm.Message{Role: llm.RoleAssistant, ToolCalls: []llm.ToolCall{call}},
		llm.User("nul\x00"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := pool.Query(ctx, "SELECT seq, message::text FROM "+s.Name()+" WHERE session = 's' ORDER BY seq")
	if err != nil {
		t.Fatal(err)
	}
	got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
		var seq int64
		var js string
		err := r.Scan(&seq, &js)
		return js, err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`{"role": "user", "parts": [{"text": "hi"}, {"image": {"data": "AQID", "mime_type": "image/png"}}]}`,
		`{"role": "assistant", "tool_calls": [{"id": "c1", "name": "lookup", "arguments": "{\"q\":\"x\"}"}]}`,
		`{"role": "user", "parts": [{"text_b64": "bnVsAA=="}]}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("stored JSON:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestLimits(t *testing.T) {
	pool := testPool(t)
	s := newStore(t, pool, MaxImageBytes(10))
	ctx := context.Background()
	big := llm.User("look", llm.Image{MIMEType: "image/png", Data: make([]byte, 11)})
	if err := s.Append(ctx, "s", llm.User("first"), big); !errors.Is(err, ErrImageTooLarge) {
		t.Errorf("Append of an 11-byte image: got %v, want ErrImageTooLarge", err)
	}
	if err := s.Replace(ctx, "s", nil, []llm.Message{big}); !errors.Is(err, ErrImageTooLarge) {
		t.Errorf("Replace with an 11-byte image: got %v, want ErrImageTooLarge", err)
	}
	if err := s.Append(ctx, "s", llm.User("ok", llm.Image{MIMEType: "image/png", Data: make([]byte, 10)})); err != nil {
		t.Errorf("Append of a 10-byte image: %v", err)
	}
	for name, m := range map[string]llm.Message{
		"NUL in name":          {Role: llm.RoleTool, Name: "a\x00", Parts: []llm.Part{llm.Text("x")}},
		"bad UTF-8 in call ID": {Role: llm.RoleTool, ToolCallID: "\xff", Parts: []llm.Part{llm.Text("x")}},
		"NUL in tool name":     {Role: llm.RoleAssistant, ToolCalls: []llm.ToolCall{{ID: "1", Name: "\x00"}}},
		"NUL in MIME type":     llm.User("", llm.Image{MIMEType: "image/png\x00", Data: []byte{1}}),
	} {
		if err := s.Append(ctx, "s", m); !errors.Is(err, ErrUnencodable) {
			t.Errorf("%s: got %v, want ErrUnencodable", name, err)
		}
	}
	msgs, err := s.Messages(ctx, "s")
	if err != nil || len(msgs) != 1 || msgs[0].Text() != "ok" {
		t.Fatalf("after refused appends: %v, %v", msgs, err)
	}
}

// TestCancelWhileLocked: an Append waiting for a session's lock gives up
// when its context ends, and the pool stays usable.
func TestCancelWhileLocked(t *testing.T) {
	pool := testPool(t)
	s := newStore(t, pool)
	ctx := context.Background()
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, s.sqlLock, "s", s.seed); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = s.Append(short, "s", llm.User("blocked"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Append returned after %v", d)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Append(ctx, "s", llm.User("later")); err != nil {
		t.Fatal(err)
	}
	msgs, err := s.Messages(ctx, "s")
	if err != nil || len(msgs) != 1 || msgs[0].Text() != "later" {
		t.Fatalf("after the cancelled append: %v, %v", msgs, err)
	}
}

// TestDatabaseGone: calls on a closed pool fail with an error, no panic.
func TestDatabaseGone(t *testing.T) {
	pool := testPool(t)
	s := newStore(t, testPool(t)) // the table lives on a pool that stays open
	closed := *s
	closed.pool = pool
	pool.Close()
	ctx := context.Background()
	_, err := closed.Messages(ctx, "s")
	for name, err := range map[string]error{
		"Messages": err,
		"Append":   closed.Append(ctx, "s", llm.User("x")),
		"Replace":  closed.Replace(ctx, "s", nil, []llm.Message{llm.User("x")}),
		"Clear":    closed.Clear(ctx, "s"),
	} {
		if err == nil || !strings.Contains(err.Error(), "pgmemory") || !strings.Contains(err.Error(), "closed") {
			t.Errorf("%s on a closed pool: got %v", name, err)
		}
		t.Logf("%s: %v", name, err)
	}
	if _, err := New(ctx, pool, Table(tableName())); err == nil {
		t.Error("New on a closed pool succeeded")
	}
}

type modelFunc func(llm.Request) (llm.Response, error)

func (f modelFunc) Chat(ctx context.Context, req llm.Request) (llm.Response, error) {
	if err := ctx.Err(); err != nil {
		return llm.Response{}, err
	}
	return f(req)
}

// TestSummaryChatOnPostgres holds one summarised conversation from four
// goroutines at once: every turn is stored whole, summaries replace old
// turns without losing new ones, and the history stays bounded.
func TestSummaryChatOnPostgres(t *testing.T) {
	pool := testPool(t)
	s := newStore(t, pool)
	ctx := context.Background()
	var summaries atomic.Int32
	summariser := modelFunc(func(req llm.Request) (llm.Response, error) {
		summaries.Add(1)
		return llm.Response{Message: llm.Assistant("things were said")}, nil
	})
	model := modelFunc(func(req llm.Request) (llm.Response, error) {
		return llm.Response{Message: llm.Assistant("answer to " + req.Messages[len(req.Messages)-1].Text())}, nil
	})
	mem := memory.MustSummary(s, summariser, 300, memory.CountWith(llm.CharCounter()))
	chat := memory.Chat(model, mem)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 10 {
				q := fmt.Sprintf("question %d/%d", g, i)
				if _, err := chat.Run(ctx, memory.Turn{Session: "s", Message: llm.User(q)}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	msgs, err := s.Messages(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	if summaries.Load() == 0 || !memory.IsSummary(msgs[0]) {
		t.Fatalf("%d summaries; history begins with %q", summaries.Load(), msgs[0].Text())
	}
	rest := msgs[1:]
	if len(rest)%2 != 0 && rest[0].Role == llm.RoleAssistant {
		rest = rest[1:] // a fold may keep a reply without its question
	}
	for i := 0; i+1 < len(rest); i += 2 {
		if rest[i+1].Text() != "answer to "+rest[i].Text() {
			t.Fatalf("turn split: %q then %q", rest[i].Text(), rest[i+1].Text())
		}
	}
	t.Logf("%d summaries, %d messages stored", summaries.Load(), len(msgs))
}

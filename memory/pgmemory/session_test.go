package pgmemory

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/memory"
)

// Session IDs the table cannot hold, or too long, are refused by every
// method with a *SessionError that stays short, before anything is sent;
// message text with NUL or invalid UTF-8 is stored exactly.
func TestInvalidSessionIDs(t *testing.T) {
	pool := testPool(t)
	s := newStore(t, pool)
	ctx := context.Background()
	if err := s.Append(ctx, "good", llm.User("kept")); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"NUL":                "a\x00b",
		"invalid UTF-8":      "caf\xe9",
		"one byte too long":  strings.Repeat("s", MaxSessionBytes+1),
		"1 MiB":              strings.Repeat("é", 1<<19),
		"1 MiB, bad UTF-8":   strings.Repeat("s", 1<<20) + "\xff",
		"lone continuation":  "\x80",
		"truncated sequence": "ok\xe2\x82",
	}
	for name, id := range cases {
		ops := map[string]error{
			"Append":  s.Append(ctx, id, llm.User("x")),
			"Replace": s.Replace(ctx, id, nil, []llm.Message{llm.User("x")}),
			"Clear":   s.Clear(ctx, id),
		}
		_, ops["Messages"] = s.Messages(ctx, id)
		for op, err := range ops {
			var se *SessionError
			if !errors.Is(err, ErrInvalidSession) || !errors.As(err, &se) || se.Session != id {
				t.Errorf("%s: %s: %v, want a *SessionError matching ErrInvalidSession", name, op, err)
				continue
			}
			if len(err.Error()) > 200 {
				t.Errorf("%s: %s: message of %d bytes", name, op, len(err.Error()))
			}
		}
	}
	// the longest ID works; the empty one is still ErrNoSession
	long := strings.Repeat("é", MaxSessionBytes/2)
	if err := s.Append(ctx, long, llm.User("long")); err != nil {
		t.Fatalf("session ID of MaxSessionBytes: %v", err)
	}
	if err := s.Append(ctx, "", llm.User("x")); !errors.Is(err, memory.ErrNoSession) {
		t.Errorf("empty session: %v", err)
	}
	// text that JSONB cannot hold is stored exactly, not refused
	odd := "nul\x00 and bad \xff utf-8"
	if err := s.Append(ctx, "good", llm.User(odd)); err != nil {
		t.Fatal(err)
	}
	msgs, err := s.Messages(ctx, "good")
	if err != nil || len(msgs) != 2 || msgs[0].Text() != "kept" || msgs[1].Text() != odd {
		t.Fatalf("history after the refused calls: %v, %v", msgs, err)
	}
	var n int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM "+s.Name()).Scan(&n); err != nil || n != 3 {
		t.Fatalf("%d rows (%v), want 3: a refused call wrote something", n, err)
	}
}

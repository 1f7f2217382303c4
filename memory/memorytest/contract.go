package memorytest

import (
	"context"
	"errors"
	"testing"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/memory"
)

// TestStore runs the Store contract as subtests of t. newStore returns an
// empty store for one subtest; it may register cleanups with t (dropping a
// table, say). The subtests check that messages come back in order and
// unchanged (images, tool calls, odd text), sessions are apart, Clear
// forgets, stored messages are copies, Replace is an atomic
// compare-and-swap, concurrent appends to one session are neither lost nor
// interleaved, and a cancelled context is refused.
func TestStore(t *testing.T, newStore func(t *testing.T) memory.Store) {
	t.Helper()
	for _, tc := range []struct {
		name string
		test func(*testing.T, memory.Store)
	}{
		{"AppendOrder", testAppendOrder},
		{"RoundTrip", testRoundTrip},
		{"SessionsApart", testSessionsApart},
		{"Clear", testClear},
		{"EmptySession", testEmptySession},
		{"Copies", testCopies},
		{"Replace", testReplace},
		{"ReplaceConflict", testReplaceConflict},
		{"ConcurrentAppend", testConcurrentAppend},
		{"ConcurrentBatches", testConcurrentBatches},
		{"ReplaceWhileAppending", testReplaceWhileAppending},
		{"CancelledContext", testCancelledContext},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.test(t, newStore(t)) })
	}
}

func testAppendOrder(t *testing.T, s memory.Store) {
	want(t, s, "a")
	mustAppend(t, s, "a", llm.User("1"))
	mustAppend(t, s, "a", llm.Assistant("2"), llm.User("3"))
	mustAppend(t, s, "a") // nothing
	mustAppend(t, s, "a", llm.Assistant("4"))
	want(t, s, "a", "1", "2", "3", "4")
}

// odd holds every field of a message, with values that are easy to lose on
// the way through JSON or a database.
func odd() []llm.Message {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe")
	call := llm.ToolCall{ID: "call_1", Name: "lookup", Arguments: []byte(`{"q": "caf\u00e9", "n": [1, 2.50]}`)}
	bad := llm.ToolCall{ID: "call_2", Name: "broken", Arguments: []byte(`{"unterminated": `)}
	return []llm.Message{
		llm.System("You are terse."),
		llm.User("What is on this picture? ünïcödé 🐦", llm.Image{MIMEType: "image/png", Data: png}),
		{Role: llm.RoleAssistant, ToolCalls: []llm.ToolCall{call, bad}},
		llm.ToolResult(call, `{"answer": "a bird"}`),
		llm.ToolResult(bad, "error: bad arguments"),
		llm.Assistant("A bird.\nSecond line\twith tab, quote \" and backslash \\."),
		llm.User("nul \x00 byte and invalid utf-8 \xff\xfe here"),
		{Role: llm.RoleAssistant, Parts: []llm.Part{llm.Text("two"), llm.Text(" parts")}},
		{Role: llm.RoleUser, Name: "alice", Parts: []llm.Part{llm.Text("")}},
	}
}

func testRoundTrip(t *testing.T, s memory.Store) {
	in := odd()
	mustAppend(t, s, "rt", in...)
	got := load(t, s, "rt")
	if !memory.EqualMessages(in, got) {
		t.Errorf("messages changed on the way through the store:\n in: %#v\ngot: %#v", in, got)
	}
}

func testSessionsApart(t *testing.T, s memory.Store) {
	mustAppend(t, s, "alice", llm.User("a1"))
	mustAppend(t, s, "bob", llm.User("b1"))
	mustAppend(t, s, "alice", llm.User("a2"))
	mustAppend(t, s, "Alice", llm.User("A1"))
	mustAppend(t, s, "session with spaces/and 'quotes' ünï", llm.User("x"))
	want(t, s, "alice", "a1", "a2")
	want(t, s, "bob", "b1")
	want(t, s, "Alice", "A1")
	want(t, s, "session with spaces/and 'quotes' ünï", "x")
	if err := s.Clear(context.Background(), "alice"); err != nil {
		t.Fatal(err)
	}
	want(t, s, "alice")
	want(t, s, "bob", "b1")
}

func testClear(t *testing.T, s memory.Store) {
	ctx := context.Background()
	if err := s.Clear(ctx, "never"); err != nil {
		t.Errorf("Clear of an unknown session: %v", err)
	}
	mustAppend(t, s, "c", llm.User("1"), llm.Assistant("2"))
	if err := s.Clear(ctx, "c"); err != nil {
		t.Fatal(err)
	}
	want(t, s, "c")
	mustAppend(t, s, "c", llm.User("3"))
	want(t, s, "c", "3")
}

func testEmptySession(t *testing.T, s memory.Store) {
	ctx := context.Background()
	for name, err := range map[string]error{
		"Append":   s.Append(ctx, "", llm.User("x")),
		"Messages": func() error { _, err := s.Messages(ctx, ""); return err }(),
		"Replace":  s.Replace(ctx, "", nil, nil),
		"Clear":    s.Clear(ctx, ""),
	} {
		if !errors.Is(err, memory.ErrNoSession) {
			t.Errorf("%s with an empty session: got %v, want ErrNoSession", name, err)
		}
	}
}

func testCopies(t *testing.T, s memory.Store) {
	in := odd()
	mustAppend(t, s, "cp", in...)
	// Change everything the caller still holds.
	in[1].Parts[0].Text = "changed"
	in[1].Parts[1].Image.Data[0] = 'X'
	in[1].Parts[1].Image.MIMEType = "image/gif"
	in[2].ToolCalls[0].Arguments[0] = '['
	in[2].ToolCalls[0].Name = "changed"
	in[0] = llm.User("changed")
	got := load(t, s, "cp")
	if !memory.EqualMessages(got, odd()) {
		t.Fatalf("changing appended messages changed the store:\n%#v", got)
	}
	// Change what Messages returned.
	got[1].Parts[1].Image.Data[0] = 'Y'
	got[2].ToolCalls[0].Arguments[0] = '['
	got[5].Parts[0].Text = "changed"
	got[0] = llm.User("changed")
	if again := load(t, s, "cp"); !memory.EqualMessages(again, odd()) {
		t.Fatalf("changing loaded messages changed the store:\n%#v", again)
	}
	// Replace copies too.
	repl := []llm.Message{llm.User("r", llm.Image{MIMEType: "image/png", Data: []byte{1, 2, 3}})}
	if err := s.Replace(context.Background(), "cp", load(t, s, "cp"), repl); err != nil {
		t.Fatal(err)
	}
	repl[0].Parts[1].Image.Data[0] = 9
	if got := load(t, s, "cp"); got[0].Parts[1].Image.Data[0] != 1 {
		t.Fatal("changing replaced messages changed the store")
	}
}

func testCancelledContext(t *testing.T, s memory.Store) {
	mustAppend(t, s, "cc", llm.User("kept"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for name, err := range map[string]error{
		"Append":   s.Append(ctx, "cc", llm.User("x")),
		"Messages": func() error { _, err := s.Messages(ctx, "cc"); return err }(),
		"Replace":  s.Replace(ctx, "cc", nil, []llm.Message{llm.User("x")}),
		"Clear":    s.Clear(ctx, "cc"),
	} {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: got %v, want context.Canceled", name, err)
		}
	}
	want(t, s, "cc", "kept")
}

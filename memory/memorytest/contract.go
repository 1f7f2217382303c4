package memorytest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

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

func mustAppend(t *testing.T, s memory.Store, session string, msgs ...llm.Message) {
	t.Helper()
	if err := s.Append(context.Background(), session, msgs...); err != nil {
		t.Fatalf("Append(%q): %v", session, err)
	}
}

func load(t *testing.T, s memory.Store, session string) []llm.Message {
	t.Helper()
	msgs, err := s.Messages(context.Background(), session)
	if err != nil {
		t.Fatalf("Messages(%q): %v", session, err)
	}
	return msgs
}

// texts returns the text of each message.
func texts(msgs []llm.Message) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.Text()
	}
	return out
}

func want(t *testing.T, s memory.Store, session string, w ...string) {
	t.Helper()
	if w == nil {
		w = []string{}
	}
	if diff := cmp.Diff(w, texts(load(t, s, session))); diff != "" {
		t.Errorf("session %q (-want +got):\n%s", session, diff)
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

func testReplace(t *testing.T, s memory.Store) {
	ctx := context.Background()
	mustAppend(t, s, "r", llm.User("1"), llm.Assistant("2"), llm.User("3"), llm.Assistant("4"))
	all := load(t, s, "r")
	// Fold the first three into one; the fourth stays.
	if err := s.Replace(ctx, "r", all[:3], []llm.Message{llm.System("S")}); err != nil {
		t.Fatalf("Replace: %v", err)
	}
	want(t, s, "r", "S", "4")
	mustAppend(t, s, "r", llm.User("5"))
	want(t, s, "r", "S", "4", "5")
	// A longer replacement than what it replaces.
	if err := s.Replace(ctx, "r", load(t, s, "r")[:1], []llm.Message{llm.System("S1"), llm.System("S2"), llm.System("S3")}); err != nil {
		t.Fatalf("Replace: %v", err)
	}
	want(t, s, "r", "S1", "S2", "S3", "4", "5")
	mustAppend(t, s, "r", llm.User("6"))
	want(t, s, "r", "S1", "S2", "S3", "4", "5", "6")
	// Prepend.
	if err := s.Replace(ctx, "r", nil, []llm.Message{llm.System("P")}); err != nil {
		t.Fatalf("Replace(nil): %v", err)
	}
	want(t, s, "r", "P", "S1", "S2", "S3", "4", "5", "6")
	// Rewrite everything, then empty it.
	if err := s.Replace(ctx, "r", load(t, s, "r"), []llm.Message{llm.User("new")}); err != nil {
		t.Fatalf("Replace(all): %v", err)
	}
	want(t, s, "r", "new")
	if err := s.Replace(ctx, "r", load(t, s, "r"), nil); err != nil {
		t.Fatalf("Replace(all, nil): %v", err)
	}
	want(t, s, "r")
	mustAppend(t, s, "r", llm.User("again"))
	want(t, s, "r", "again")
	// A new session.
	if err := s.Replace(ctx, "fresh", nil, []llm.Message{llm.User("x")}); err != nil {
		t.Fatalf("Replace on a new session: %v", err)
	}
	want(t, s, "fresh", "x")
	// Odd messages survive Replace, and are compared exactly.
	if err := s.Replace(ctx, "fresh", load(t, s, "fresh"), odd()); err != nil {
		t.Fatal(err)
	}
	if err := s.Replace(ctx, "fresh", odd()[:4], []llm.Message{llm.User("y")}); err != nil {
		t.Fatalf("Replace of a prefix of odd messages: %v", err)
	}
	if got := load(t, s, "fresh"); !memory.EqualMessages(got, append([]llm.Message{llm.User("y")}, odd()[4:]...)) {
		t.Errorf("after Replace: %#v", got)
	}
}

func testReplaceConflict(t *testing.T, s memory.Store) {
	ctx := context.Background()
	mustAppend(t, s, "rc", llm.User("1"), llm.Assistant("2"), llm.User("3"))
	for name, old := range map[string][]llm.Message{
		"different text":  {llm.User("1"), llm.Assistant("X")},
		"different role":  {llm.Assistant("1")},
		"longer":          {llm.User("1"), llm.Assistant("2"), llm.User("3"), llm.User("4")},
		"different image": {llm.User("1", llm.Image{MIMEType: "image/png", Data: []byte{1}})},
	} {
		err := s.Replace(ctx, "rc", old, []llm.Message{llm.System("S")})
		if !errors.Is(err, memory.ErrConflict) {
			t.Errorf("Replace with a %s prefix: got %v, want ErrConflict", name, err)
		}
	}
	if err := s.Replace(ctx, "other", []llm.Message{llm.User("1")}, nil); !errors.Is(err, memory.ErrConflict) {
		t.Errorf("Replace of a prefix of an empty session: got %v, want ErrConflict", err)
	}
	want(t, s, "rc", "1", "2", "3")
	want(t, s, "other")
}

const (
	writers   = 20
	perWriter = 50
)

// testConcurrentAppend: 20 goroutines each append 50 messages, one at a
// time, to one session: exactly 1000 come back, none twice, and each
// writer's messages in the order it appended them.
func testConcurrentAppend(t *testing.T, s memory.Store) {
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, writers*perWriter)
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				if err := s.Append(ctx, "busy", llm.User(fmt.Sprintf("%d/%d", w, i))); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent Append: %v", err)
	}
	got := load(t, s, "busy")
	if len(got) != writers*perWriter {
		t.Fatalf("got %d messages, want %d", len(got), writers*perWriter)
	}
	next := make([]int, writers)
	for i, m := range got {
		var w, n int
		if _, err := fmt.Sscanf(m.Text(), "%d/%d", &w, &n); err != nil || w < 0 || w >= writers {
			t.Fatalf("message %d: unexpected %q", i, m.Text())
		}
		if n != next[w] {
			t.Fatalf("message %d: writer %d's message %d, want its message %d (lost, duplicated or reordered)", i, w, n, next[w])
		}
		next[w]++
	}
}

// testConcurrentBatches: 20 goroutines each append 50 batches of a user
// message and its reply: every batch comes back whole and contiguous.
func testConcurrentBatches(t *testing.T, s memory.Store) {
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				q := fmt.Sprintf("q %d/%d", w, i)
				a := fmt.Sprintf("a %d/%d", w, i)
				if err := s.Append(ctx, "batches", llm.User(q), llm.Assistant(a)); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent Append: %v", err)
	}
	got := load(t, s, "batches")
	if len(got) != 2*writers*perWriter {
		t.Fatalf("got %d messages, want %d", len(got), 2*writers*perWriter)
	}
	seen := make(map[string]bool)
	for i := 0; i < len(got); i += 2 {
		q, a := got[i].Text(), got[i+1].Text()
		if len(q) < 2 || q[:2] != "q " || a != "a "+q[2:] {
			t.Fatalf("messages %d and %d are %q and %q: a batch was split", i, i+1, q, a)
		}
		if seen[q] {
			t.Fatalf("batch %q stored twice", q)
		}
		seen[q] = true
	}
}

// testReplaceWhileAppending: one goroutine appends while another keeps
// folding the two oldest messages into one with Replace; no appended
// message is lost and the survivors keep their order.
func testReplaceWhileAppending(t *testing.T, s memory.Store) {
	ctx := context.Background()
	const n = 200
	mustAppend(t, s, "fold", llm.User("start"))
	done := make(chan struct{})
	var folds int
	var foldErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-done:
				return
			default:
			}
			msgs, err := s.Messages(ctx, "fold")
			if err != nil {
				foldErr = err
				return
			}
			if len(msgs) < 3 {
				continue
			}
			err = s.Replace(ctx, "fold", msgs[:2], []llm.Message{llm.System("folded")})
			switch {
			case err == nil:
				folds++
			case !errors.Is(err, memory.ErrConflict):
				foldErr = err
				return
			}
		}
	})
	for i := range n {
		if err := s.Append(ctx, "fold", llm.User(fmt.Sprint(i))); err != nil {
			close(done)
			wg.Wait()
			t.Fatal(err)
		}
	}
	close(done)
	wg.Wait()
	if foldErr != nil {
		t.Fatalf("Replace: %v", foldErr)
	}
	got := load(t, s, "fold")
	if len(got) != n+1-folds {
		t.Fatalf("got %d messages after %d folds, want %d", len(got), folds, n+1-folds)
	}
	last := -1
	for _, m := range got {
		if m.Role == llm.RoleSystem || m.Text() == "start" {
			continue
		}
		var i int
		if _, err := fmt.Sscan(m.Text(), &i); err != nil || i <= last {
			t.Fatalf("message %q out of order after %d", m.Text(), last)
		}
		last = i
	}
	if last != n-1 {
		t.Fatalf("last message is %d, want %d", last, n-1)
	}
	t.Logf("%d folds while appending %d messages", folds, n)
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

package memorytest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/memory"
)

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

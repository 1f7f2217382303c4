package wiretest

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// Wait returns once enough requests arrived, and names the package and
// the count when ctx ends first.
func TestLogWait(t *testing.T) {
	var l Log[int]
	if _, ok := l.Last(); ok {
		t.Fatal("an empty log has a last request")
	}
	done := make(chan error, 1)
	go func() { done <- l.Wait(context.Background(), 2, "x") }()
	l.Add(1)
	l.Add(2)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got, _ := l.Last(); got != 2 || len(l.All()) != 2 {
		t.Fatalf("Last %d, All %v", got, l.All())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	err := l.Wait(ctx, 3, "x")
	if !errors.Is(err, context.DeadlineExceeded) || err.Error() != "x: 2 of 3 requests received: context deadline exceeded" {
		t.Fatalf("Wait: %v", err)
	}
}

// A script gives a key's queued replies in order, then its default, then
// nothing.
func TestScriptNext(t *testing.T) {
	var s Script[string, int]
	s.Enqueue("a", 1, 2)
	s.SetDefault("a", 9)
	if s.Pending("a") != 2 {
		t.Fatalf("Pending = %d", s.Pending("a"))
	}
	for _, want := range []int{1, 2, 9, 9} {
		if got, ok := s.Next("a"); !ok || got != want {
			t.Fatalf("Next = %d, %v; want %d", got, ok, want)
		}
	}
	if _, ok := s.Next("b"); ok {
		t.Fatal("a key with neither queue nor default gave a reply")
	}
}

package memorytest

import (
	"context"
	"errors"
	"testing"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/memory"
)

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

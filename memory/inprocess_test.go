package memory_test

import (
	"context"
	"testing"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/memory"
	"github.com/chorus-go/chorus/memory/memorytest"
)

func TestInProcessContract(t *testing.T) {
	memorytest.TestStore(t, func(*testing.T) memory.Store { return memory.NewInProcess() })
}

func TestInProcessZeroValue(t *testing.T) {
	var s memory.InProcess
	ctx := context.Background()
	if msgs, err := s.Messages(ctx, "x"); err != nil || len(msgs) != 0 {
		t.Fatalf("Messages = %v, %v", msgs, err)
	}
	if err := s.Replace(ctx, "x", nil, []llm.Message{llm.User("a")}); err != nil {
		t.Fatal(err)
	}
	if err := s.Append(ctx, "x", llm.User("b")); err != nil {
		t.Fatal(err)
	}
	if got := texts(stored(t, &s, "x")); len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Fatalf("got %q", got)
	}
}

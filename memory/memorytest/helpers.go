package memorytest

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/memory"
)

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

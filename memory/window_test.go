package memory_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/memory"
)

func TestWindow(t *testing.T) {
	u, a := llm.User, llm.Assistant
	cat := func(parts ...[]llm.Message) []llm.Message {
		var out []llm.Message
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		n       int
		history []llm.Message
		want    []string
	}{
		{"empty", 3, nil, []string{}},
		{"shorter than the window", 3, []llm.Message{u("1"), a("2")}, []string{"1", "2"}},
		{"last n", 3, []llm.Message{u("1"), a("2"), u("3"), a("4"), u("5")}, []string{"3", "4", "5"}},
		{"system prompt kept, not counted", 2,
			[]llm.Message{llm.System("S"), u("1"), a("2"), u("3"), a("4")}, []string{"S", "3", "4"}},
		{"tool group whole", 4,
			cat([]llm.Message{u("1"), a("2"), u("3")}, toolExchange("x", 2), []llm.Message{a("4")}),
			[]string{"", "x-result", "x-result", "4"}},
		{"tool group left out rather than split", 3,
			cat([]llm.Message{u("1")}, toolExchange("x", 2), []llm.Message{a("4")}),
			[]string{"4"}},
		{"newest group kept even if larger than n", 2,
			cat([]llm.Message{u("1")}, toolExchange("x", 3)),
			[]string{"", "x-result", "x-result", "x-result"}},
		{"a system message later on is an ordinary message", 2,
			[]llm.Message{u("1"), llm.System("mid"), a("2"), u("3")}, []string{"2", "3"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := memory.NewInProcess()
			if len(tc.history) > 0 {
				fill(t, s, "s", tc.history...)
			}
			got, err := memory.MustWindow(s, tc.n).Messages(context.Background(), "s")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, texts(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if len(stored(t, s, "s")) != len(tc.history) {
				t.Error("without Prune the store changed")
			}
		})
	}
}

func TestWindowPrune(t *testing.T) {
	ctx := context.Background()
	s := memory.NewInProcess()
	w := memory.MustWindow(s, 2, memory.Prune())
	fill(t, s, "s", llm.System("S"), llm.User("1"), llm.Assistant("2"), llm.User("3"), llm.Assistant("4"))
	got, err := w.Messages(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"S", "3", "4"}
	if diff := cmp.Diff(want, texts(got)); diff != "" {
		t.Errorf("window (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, texts(stored(t, s, "s"))); diff != "" {
		t.Errorf("store after Prune (-want +got):\n%s", diff)
	}
	if err := w.Append(ctx, "s", llm.User("5")); err != nil {
		t.Fatal(err)
	}
	if got, _ := w.Messages(ctx, "s"); !cmp.Equal(texts(got), []string{"S", "4", "5"}) {
		t.Errorf("after another turn: %q", texts(got))
	}
	if err := w.Clear(ctx, "s"); err != nil {
		t.Fatal(err)
	}
	if got := stored(t, s, "s"); len(got) != 0 {
		t.Errorf("after Clear: %q", texts(got))
	}
}

// failingStore fails every call after Messages succeeded, like a database
// that went away.
type failingStore struct {
	memory.Store
	err error
}

func (f failingStore) Replace(context.Context, string, []llm.Message, []llm.Message) error {
	return f.err
}
func (f failingStore) Append(context.Context, string, ...llm.Message) error { return f.err }

func TestPruneStoreError(t *testing.T) {
	s := memory.NewInProcess()
	fill(t, s, "s", llm.User("1"), llm.Assistant("2"), llm.User("3"))
	boom := errors.New("boom")
	for name, m := range map[string]memory.Memory{
		"window":  memory.MustWindow(failingStore{s, boom}, 1, memory.Prune()),
		"bounded": memory.MustBounded(failingStore{s, boom}, 1, memory.Prune()),
	} {
		if _, err := m.Messages(context.Background(), "s"); !errors.Is(err, boom) {
			t.Errorf("%s: got %v, want the store's error", name, err)
		}
	}
	// A conflict is not an error: someone else changed the history.
	conflict := failingStore{s, fmt.Errorf("x: %w", memory.ErrConflict)}
	got, err := memory.MustWindow(conflict, 1, memory.Prune()).Messages(context.Background(), "s")
	if err != nil || !cmp.Equal(texts(got), []string{"3"}) {
		t.Errorf("on conflict: got %q, %v", texts(got), err)
	}
}

// randomHistory returns a history of ordinary messages and tool exchanges,
// sometimes after a system prompt.
func randomHistory(r *rand.Rand) []llm.Message {
	var h []llm.Message
	if r.IntN(2) == 0 {
		h = append(h, llm.System("S"))
	}
	for range r.IntN(30) {
		switch r.IntN(4) {
		case 0:
			h = append(h, toolExchange(fmt.Sprint(len(h)), 1+r.IntN(4))...)
		case 1:
			h = append(h, llm.Assistant(fmt.Sprintf("a%d %s", len(h), make([]byte, r.IntN(40)))))
		default:
			h = append(h, llm.User(fmt.Sprintf("u%d", len(h))))
		}
	}
	return h
}

// checkView checks the properties every policy's result has: the leading
// system messages, then a suffix of the rest of the history that does not
// begin with a tool result unless the history's rest does.
func checkView(t *testing.T, history, got []llm.Message) (body []llm.Message) {
	t.Helper()
	h := 0
	for h < len(history) && history[h].Role == llm.RoleSystem {
		h++
	}
	if len(got) < h || !memory.EqualMessages(got[:h], history[:h]) {
		t.Fatalf("system messages not kept: %q", texts(got))
	}
	body = got[h:]
	rest := history[h:]
	if len(body) > len(rest) || !memory.EqualMessages(body, rest[len(rest)-len(body):]) {
		t.Fatalf("not a suffix of the history: %q", texts(got))
	}
	if len(body) > 0 && body[0].Role == llm.RoleTool && len(body) != len(rest) {
		t.Fatalf("a tool result was split from its call: %q", texts(got))
	}
	if len(rest) > 0 && len(body) == 0 {
		t.Fatalf("the newest message was dropped")
	}
	return body
}

func TestWindowProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 500 {
		history := randomHistory(r)
		n := 1 + r.IntN(8)
		s := memory.NewInProcess()
		if len(history) > 0 {
			fill(t, s, "s", history...)
		}
		got, err := memory.MustWindow(s, n).Messages(context.Background(), "s")
		if err != nil {
			t.Fatal(err)
		}
		body := checkView(t, history, got)
		if len(body) > n {
			// Only allowed when the window is one group.
			for _, m := range body[1:] {
				if m.Role != llm.RoleTool {
					t.Fatalf("case %d: %d messages in a window of %d: %q", i, len(body), n, texts(body))
				}
			}
		}
	}
}

// TestConfigErrors: invalid arguments and options are constructor errors
// matching chain.ErrConfig; the Must forms and Chat panic with them.
func TestConfigErrors(t *testing.T) {
	s := memory.NewInProcess()
	m := &fakeModel{answer: reply("x")}
	for name, f := range map[string]func() error{
		"NewWindow nil store":    func() error { _, err := memory.NewWindow(nil, 1); return err },
		"NewWindow n 0":          func() error { _, err := memory.NewWindow(s, 0); return err },
		"NewBounded nil store":   func() error { _, err := memory.NewBounded(nil, 10); return err },
		"NewBounded budget 0":    func() error { _, err := memory.NewBounded(s, 0); return err },
		"NewSummary nil model":   func() error { _, err := memory.NewSummary(s, nil, 10); return err },
		"NewSummary keep budget": func() error { _, err := memory.NewSummary(s, m, 10, memory.KeepRecent(10)); return err },
		"KeepRecent 0":           func() error { _, err := memory.NewSummary(s, m, 10, memory.KeepRecent(0)); return err },
		"SummaryPrompt empty":    func() error { _, err := memory.NewSummary(s, m, 10, memory.SummaryPrompt("")); return err },
		"CountWith nil":          func() error { _, err := memory.NewBounded(s, 10, memory.CountWith(nil)); return err },
		"NewChat nil memory":     func() error { _, err := memory.NewChat(m, nil); return err },
		"MustWindow":             func() error { _, err := chain.Build(func() any { return memory.MustWindow(s, 0) }); return err },
		"MustBounded": func() error {
			_, err := chain.Build(func() any { return memory.MustBounded(s, 5, memory.CountWith(nil)) })
			return err
		},
		"MustSummary":     func() error { _, err := chain.Build(func() any { return memory.MustSummary(nil, m, 5) }); return err },
		"Chat nil memory": func() error { _, err := chain.Build(func() any { return memory.Chat(m, nil) }); return err },
		"Chat nil model":  func() error { _, err := chain.Build(func() any { return memory.Chat(nil, s) }); return err },
	} {
		if err := f(); !errors.Is(err, chain.ErrConfig) {
			t.Errorf("%s: err = %v, want one matching chain.ErrConfig", name, err)
		}
	}
}

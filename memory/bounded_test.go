package memory_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/memory"
)

func TestBounded(t *testing.T) {
	u, a := llm.User, llm.Assistant
	// Two calls "tool" with "{}" (12 characters), two results "x-result"
	// from "tool" (24): 36 characters.
	tool := toolExchange("x", 2)
	for _, tc := range []struct {
		name    string
		budget  int
		history []llm.Message
		want    []string
	}{
		{"fits", 100, []llm.Message{u("aaaa"), a("bbbb")}, []string{"aaaa", "bbbb"}},
		{"oldest dropped first", 8, []llm.Message{u("aaaa"), a("bbbb"), u("cccc")}, []string{"bbbb", "cccc"}},
		{"exactly on budget", 12, []llm.Message{u("aaaa"), a("bbbb"), u("cccc")}, []string{"aaaa", "bbbb", "cccc"}},
		{"system prompt counts and stays", 9,
			[]llm.Message{llm.System("SSSSS"), u("aaaa"), a("bbbb")}, []string{"SSSSS", "bbbb"}},
		{"system prompt over budget alone", 3,
			[]llm.Message{llm.System("SSSSS"), u("aaaa"), a("bbbb")}, []string{"SSSSS", "bbbb"}},
		{"tool group dropped whole", 39,
			append(append([]llm.Message{u("aaaa")}, tool...), a("bbbb")), []string{"bbbb"}},
		{"tool group kept whole", 40,
			append(append([]llm.Message{u("aaaa")}, tool...), a("bbbb")), []string{"", "x-result", "x-result", "bbbb"}},
		{"newest message kept over budget", 2, []llm.Message{u("aaaa"), a("bbbbbbbb")}, []string{"bbbbbbbb"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := memory.NewInProcess()
			fill(t, s, "s", tc.history...)
			got, err := memory.MustBounded(s, tc.budget, memory.CountWith(llm.CharCounter())).Messages(context.Background(), "s")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, texts(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestBoundedProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	counter := llm.ApproxTokens()
	for range 500 {
		history := randomHistory(r)
		budget := 1 + r.IntN(120)
		s := memory.NewInProcess()
		if len(history) > 0 {
			fill(t, s, "s", history...)
		}
		got, err := memory.MustBounded(s, budget).Messages(context.Background(), "s")
		if err != nil {
			t.Fatal(err)
		}
		body := checkView(t, history, got)
		total := 0
		for _, m := range got {
			total += llm.CountMessage(counter, m)
		}
		if total > budget {
			// Only allowed when nothing but the newest group is left.
			for _, m := range body[1:] {
				if m.Role != llm.RoleTool {
					t.Fatalf("%d tokens in a budget of %d: %q", total, budget, texts(got))
				}
			}
		}
	}
}

func TestBoundedPrune(t *testing.T) {
	s := memory.NewInProcess()
	fill(t, s, "s", llm.User("aaaa"), llm.Assistant("bbbb"), llm.User("cccc"))
	b := memory.MustBounded(s, 8, memory.CountWith(llm.CharCounter()), memory.Prune())
	if _, err := b.Messages(context.Background(), "s"); err != nil {
		t.Fatal(err)
	}
	if got := texts(stored(t, s, "s")); !cmp.Equal(got, []string{"bbbb", "cccc"}) {
		t.Errorf("store after Prune: %q", got)
	}
}

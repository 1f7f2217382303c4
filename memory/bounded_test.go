package memory_test

import (
	"context"
	"math/rand/v2"
	"strings"
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
			got, err := memory.NewBounded(s, tc.budget, memory.CountWith(memory.Characters{})).Messages(context.Background(), "s")
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
	counter := memory.ApproxTokens{}
	for range 500 {
		history := randomHistory(r)
		budget := 1 + r.IntN(120)
		s := memory.NewInProcess()
		if len(history) > 0 {
			fill(t, s, "s", history...)
		}
		got, err := memory.NewBounded(s, budget).Messages(context.Background(), "s")
		if err != nil {
			t.Fatal(err)
		}
		body := checkView(t, history, got)
		total := 0
		for _, m := range got {
			total += counter.Count(m)
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
	b := memory.NewBounded(s, 8, memory.CountWith(memory.Characters{}), memory.Prune())
	if _, err := b.Messages(context.Background(), "s"); err != nil {
		t.Fatal(err)
	}
	if got := texts(stored(t, s, "s")); !cmp.Equal(got, []string{"bbbb", "cccc"}) {
		t.Errorf("store after Prune: %q", got)
	}
}

func TestCounters(t *testing.T) {
	call := llm.ToolCall{ID: "1", Name: "wx", Arguments: []byte(`{"c":"é"}`)}
	for _, tc := range []struct {
		m           llm.Message
		chars, toks int
	}{
		{llm.User(""), 0, 4},
		{llm.User("abcd"), 4, 5},
		{llm.User("abcde"), 5, 6},
		{llm.User("héllo wörld"), 11, 7},
		{llm.User("look", llm.Image{MIMEType: "image/png", Data: []byte{1}}), 4, 5 + memory.ImageTokens},
		{llm.Message{Role: llm.RoleAssistant, ToolCalls: []llm.ToolCall{call}}, 11, 7},
		{llm.ToolResult(call, "sunny"), 7, 6},
		{llm.User(strings.Repeat("x", 400)), 400, 104},
	} {
		if got := (memory.Characters{}).Count(tc.m); got != tc.chars {
			t.Errorf("Characters(%q) = %d, want %d", tc.m.Text(), got, tc.chars)
		}
		if got := (memory.ApproxTokens{}).Count(tc.m); got != tc.toks {
			t.Errorf("ApproxTokens(%q) = %d, want %d", tc.m.Text(), got, tc.toks)
		}
	}
	words := memory.CounterFunc(func(m llm.Message) int { return len(strings.Fields(m.Text())) })
	if got := words.Count(llm.User("one two three")); got != 3 {
		t.Errorf("CounterFunc = %d", got)
	}
}

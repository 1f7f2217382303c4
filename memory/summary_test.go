package memory_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/memory"
)

// chars counts characters, so budgets in these tests are easy to follow.
var chars = memory.CountWith(llm.CharCounter())

// summaryText returns the text of a summary message without its prefix.
func summaryText(t *testing.T, m llm.Message) string {
	t.Helper()
	if !memory.IsSummary(m) {
		t.Fatalf("not a summary: %#v", m)
	}
	text, ok := strings.CutPrefix(m.Text(), memory.SummaryPrefix)
	if !ok {
		t.Fatalf("summary without its prefix: %q", m.Text())
	}
	return text
}

func TestSummaryUnderBudget(t *testing.T) {
	s := memory.NewInProcess()
	model := &fakeModel{answer: reply("SUM")}
	fill(t, s, "s", llm.System("S"), llm.User("aaaa"), llm.Assistant("bbbb"))
	got, err := memory.MustSummary(s, model, 9, chars).Messages(context.Background(), "s")
	if err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(texts(got), []string{"S", "aaaa", "bbbb"}) || len(model.requests()) != 0 {
		t.Errorf("got %q after %d model calls", texts(got), len(model.requests()))
	}
}

func TestSummaryFoldsOldTurns(t *testing.T) {
	ctx := context.Background()
	s := memory.NewInProcess()
	model := &fakeModel{answer: reply("  the user likes tea  ")}
	mem := memory.MustSummary(s, model, 20, chars, memory.KeepRecent(8))
	fill(t, s, "s", llm.System("S"), llm.User("u1-old"), llm.Assistant("a1-old"), llm.User("u2-new"), llm.Assistant("a2"))
	got, err := mem.Messages(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	// The model was asked once, with the old turns and not the kept ones.
	reqs := model.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d summariser calls, want 1", len(reqs))
	}
	req := reqs[0]
	if len(req.Messages) != 2 || req.Messages[0].Role != llm.RoleSystem || req.Messages[0].Text() != memory.DefaultSummaryPrompt {
		t.Fatalf("summariser request: %#v", req.Messages)
	}
	conv := req.Messages[1].Text()
	for _, s := range []string{"user: u1-old", "assistant: a1-old"} {
		if !strings.Contains(conv, s) {
			t.Errorf("summariser was not given %q:\n%s", s, conv)
		}
	}
	for _, s := range []string{"u2-new", "a2", "Existing summary"} {
		if strings.Contains(conv, s) {
			t.Errorf("summariser was given %q:\n%s", s, conv)
		}
	}
	// The summary, trimmed, follows the system prompt; the new turns follow.
	if len(got) != 4 || got[0].Text() != "S" || summaryText(t, got[1]) != "the user likes tea" ||
		got[2].Text() != "u2-new" || got[3].Text() != "a2" {
		t.Fatalf("got %q", texts(got))
	}
	// It is stored: the next call does not ask again.
	if !memory.EqualMessages(stored(t, s, "s"), got) {
		t.Fatalf("store holds %q", texts(stored(t, s, "s")))
	}
	again, err := mem.Messages(ctx, "s")
	if err != nil || !memory.EqualMessages(again, got) || len(model.requests()) != 1 {
		t.Fatalf("second call: %q, %v, %d model calls", texts(again), err, len(model.requests()))
	}

	// More turns: the earlier summary is folded into the next one.
	model.answer = reply("tea, and now coffee")
	fill(t, s, "s", llm.User("u3-xxxx"), llm.Assistant("a3-yyyy"))
	got, err = mem.Messages(ctx, "s")
	if err != nil {
		t.Fatal(err)
	}
	reqs = model.requests()
	if len(reqs) != 2 {
		t.Fatalf("%d summariser calls, want 2", len(reqs))
	}
	conv = reqs[1].Messages[1].Text()
	if !strings.Contains(conv, "Existing summary:\nthe user likes tea\n") || strings.Contains(conv, memory.SummaryPrefix) {
		t.Errorf("the earlier summary was not passed on:\n%s", conv)
	}
	if len(got) != 3 || got[0].Text() != "S" || summaryText(t, got[1]) != "tea, and now coffee" || got[2].Text() != "a3-yyyy" {
		t.Fatalf("got %q", texts(got))
	}
	if n := len(stored(t, s, "s")); n != 3 {
		t.Fatalf("store holds %d messages, want 3", n)
	}
}

func TestSummaryKeepsToolGroups(t *testing.T) {
	s := memory.NewInProcess()
	model := &fakeModel{answer: reply("sum")}
	// Keep 30 characters: the tool group (36) does not fit, so it is folded
	// whole and only the last answer is kept.
	mem := memory.MustSummary(s, model, 45, chars, memory.KeepRecent(30))
	fill(t, s, "s", llm.User("question"))
	fill(t, s, "s", toolExchange("x", 2)...)
	fill(t, s, "s", llm.Assistant("answer"))
	got, err := mem.Messages(context.Background(), "s")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1].Text() != "answer" {
		t.Fatalf("got %q", texts(got))
	}
	conv := model.requests()[0].Messages[1].Text()
	if strings.Count(conv, "tool (tool): x-result") != 2 || !strings.Contains(conv, "[calls tool({})]") {
		t.Errorf("tool group not folded whole:\n%s", conv)
	}
}

func TestSummaryFailure(t *testing.T) {
	ctx := context.Background()
	boom := errors.New("model down")
	for _, tc := range []struct {
		name   string
		answer func(llm.Request) (llm.Response, error)
		cause  error
	}{
		{"model error", func(llm.Request) (llm.Response, error) { return llm.Response{}, boom }, boom},
		{"empty summary", reply(" \n"), memory.ErrEmptySummary},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := memory.NewInProcess()
			model := &fakeModel{answer: tc.answer}
			mem := memory.MustSummary(s, model, 15, chars, memory.KeepRecent(4))
			history := []llm.Message{llm.System("S"), llm.User("aaaa"), llm.Assistant("bbbb"), llm.User("cccc"), llm.Assistant("dddd")}
			fill(t, s, "s", history...)
			got, err := mem.Messages(ctx, "s")
			var se *memory.SummaryError
			if !errors.As(err, &se) || !errors.Is(err, memory.ErrSummary) || !errors.Is(err, tc.cause) || se.Session != "s" {
				t.Fatalf("got error %v, want a *SummaryError caused by %v", err, tc.cause)
			}
			// Degraded: the newest turns within the budget, unsummarised.
			if !cmp.Equal(texts(got), []string{"S", "bbbb", "cccc", "dddd"}) {
				t.Errorf("degraded messages: %q", texts(got))
			}
			if !memory.EqualMessages(stored(t, s, "s"), history) {
				t.Error("a failed summary changed the store")
			}
			// The next call tries again, and succeeds.
			model.answer = reply("sum")
			got, err = mem.Messages(ctx, "s")
			if err != nil || len(model.requests()) != 2 || summaryText(t, got[1]) != "sum" {
				t.Fatalf("retry: %q, %v", texts(got), err)
			}
		})
	}
}

func TestSummaryKeepsEarlierSummaryWhenFailing(t *testing.T) {
	s := memory.NewInProcess()
	model := &fakeModel{answer: reply("first")}
	mem := memory.MustSummary(s, model, 30, chars, memory.KeepRecent(5))
	fill(t, s, "s", llm.User("aaaaaaaaaa"), llm.Assistant("bbbbbbbbbb"), llm.User("cccccccccc"), llm.Assistant("d"))
	if _, err := mem.Messages(context.Background(), "s"); err != nil {
		t.Fatal(err)
	}
	model.answer = func(llm.Request) (llm.Response, error) { return llm.Response{}, errors.New("down") }
	fill(t, s, "s", llm.User("eeeeeeeeee"), llm.Assistant("ffffffffff"))
	got, err := mem.Messages(context.Background(), "s")
	if !errors.Is(err, memory.ErrSummary) || len(got) == 0 || summaryText(t, got[0]) != "first" {
		t.Fatalf("got %q, %v; want the earlier summary first", texts(got), err)
	}
}

// TestSummaryConcurrentChange changes the history while the summariser
// runs: messages appended meanwhile are kept; a history cleared meanwhile
// is not brought back.
func TestSummaryConcurrentChange(t *testing.T) {
	ctx := context.Background()
	history := []llm.Message{llm.User("aaaa"), llm.Assistant("bbbb"), llm.User("cccc"), llm.Assistant("dddd")}

	t.Run("append", func(t *testing.T) {
		s := memory.NewInProcess()
		fill(t, s, "s", history...)
		model := &fakeModel{}
		model.answer = func(llm.Request) (llm.Response, error) {
			fill(t, s, "s", llm.User("late"))
			return llm.Response{Message: llm.Assistant("sum")}, nil
		}
		got, err := memory.MustSummary(s, model, 10, chars, memory.KeepRecent(4)).Messages(ctx, "s")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[1].Text() != "dddd" {
			t.Errorf("got %q", texts(got))
		}
		all := stored(t, s, "s")
		if len(all) != 3 || summaryText(t, all[0]) != "sum" || all[1].Text() != "dddd" || all[2].Text() != "late" {
			t.Errorf("store holds %q", texts(all))
		}
	})

	t.Run("clear", func(t *testing.T) {
		s := memory.NewInProcess()
		fill(t, s, "s", history...)
		model := &fakeModel{}
		model.answer = func(llm.Request) (llm.Response, error) {
			if err := s.Clear(ctx, "s"); err != nil {
				t.Error(err)
			}
			return llm.Response{Message: llm.Assistant("sum")}, nil
		}
		got, err := memory.MustSummary(s, model, 10, chars, memory.KeepRecent(4)).Messages(ctx, "s")
		if err != nil || len(got) != 0 {
			t.Errorf("got %q, %v; want the cleared, empty history", texts(got), err)
		}
		if all := stored(t, s, "s"); len(all) != 0 {
			t.Errorf("store holds %q", texts(all))
		}
		if len(model.requests()) != 1 {
			t.Errorf("%d summariser calls, want 1", len(model.requests()))
		}
	})
}

func TestSummaryStoreError(t *testing.T) {
	s := memory.NewInProcess()
	fill(t, s, "s", llm.User("aaaa"), llm.Assistant("bbbb"), llm.User("cccc"))
	boom := errors.New("db gone")
	mem := memory.MustSummary(failingStore{s, boom}, &fakeModel{answer: reply("sum")}, 5, chars)
	if _, err := mem.Messages(context.Background(), "s"); !errors.Is(err, boom) {
		t.Fatalf("got %v, want the store's error", err)
	}
}

func TestSummaryCancelled(t *testing.T) {
	s := memory.NewInProcess()
	fill(t, s, "s", llm.User("aaaa"), llm.Assistant("bbbb"), llm.User("cccc"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := memory.MustSummary(s, &fakeModel{answer: reply("sum")}, 5, chars).Messages(ctx, "s")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

func TestSummaryNothingToFold(t *testing.T) {
	s := memory.NewInProcess()
	model := &fakeModel{answer: reply("sum")}
	fill(t, s, "s", llm.User("a very long message"))
	got, err := memory.MustSummary(s, model, 5, chars).Messages(context.Background(), "s")
	if err != nil || len(got) != 1 || len(model.requests()) != 0 {
		t.Fatalf("got %q, %v after %d calls", texts(got), err, len(model.requests()))
	}
}

package memory_test

import (
	"context"
	"sync"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/llmtest"
	"github.com/chorus-go/chorus/llm/openai"
	"github.com/chorus-go/chorus/memory"
)

// tokenRecorder records the token events under its context.
type tokenRecorder struct {
	mu     sync.Mutex
	events []chain.Event
}

func (r *tokenRecorder) ctx() context.Context {
	return chain.WithHooks(context.Background(), chain.HookFuncs{OnEvent: func(_ context.Context, _ chain.NodeInfo, e chain.Event) {
		if e.Kind == chain.EventTokens {
			r.mu.Lock()
			r.events = append(r.events, e)
			r.mu.Unlock()
		}
	}})
}

func (r *tokenRecorder) get() []chain.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]chain.Event(nil), r.events...)
}

// TestChatUsageOnce: memory.Chat over the real OpenAI adapter reports one
// token event per turn, named after the model.
func TestChatUsageOnce(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.Text("hello").WithUsage(11, 3), openaitest.Text("again").WithUsage(20, 4))
	m, err := openai.New("gpt-4o-mini", openai.WithAPIKey("sk-test"), openai.WithBaseURL(s.URL()), openai.WithHTTPClient(s.HTTPClient()))
	if err != nil {
		t.Fatal(err)
	}
	c := memory.Chat(m, memory.NewInProcess())
	var rec tokenRecorder
	for _, text := range []string{"hi", "and again"} {
		if _, err := c.Run(rec.ctx(), memory.Turn{Session: "s", Message: llm.User(text)}); err != nil {
			t.Fatal(err)
		}
	}
	want := []chain.Event{
		{Kind: chain.EventTokens, Name: "openai:gpt-4o-mini", InputTokens: 11, OutputTokens: 3},
		{Kind: chain.EventTokens, Name: "openai:gpt-4o-mini", InputTokens: 20, OutputTokens: 4},
	}
	if got := rec.get(); len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("token events %+v, want %+v", got, want)
	}
}

// TestSummaryUsageOnce: the summariser's call is reported once, named
// after the summarising model, as is the chat model's.
func TestSummaryUsageOnce(t *testing.T) {
	s := memory.NewInProcess()
	fill(t, s, "s", llm.User("aaaaaaaaaa"), llm.Assistant("bbbbbbbbbb"), llm.User("cccccccccc"), llm.Assistant("dddddddddd"))
	summariser := llmtest.NewModel("small", llmtest.Text("they talked").WithUsage(7, 2))
	mem := memory.MustSummary(s, summariser, 25, memory.CountWith(llm.CharCounter()), memory.KeepRecent(12))
	chat := llmtest.NewModel("big", llmtest.Text("ok").WithUsage(5, 1))
	var rec tokenRecorder
	if _, err := memory.Chat(chat, mem).Run(rec.ctx(), memory.Turn{Session: "s", Message: llm.User("next")}); err != nil {
		t.Fatal(err)
	}
	got := rec.get()
	if len(got) != 2 || got[0].Name != "llmtest:small" || got[0].InputTokens != 7 || got[1].Name != "llmtest:big" || got[1].OutputTokens != 1 {
		t.Errorf("token events %+v, want one of llmtest:small then one of llmtest:big", got)
	}
}

package memory_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/memory"
)

func TestChat(t *testing.T) {
	ctx := context.Background()
	s := memory.NewInProcess()
	model := &fakeModel{answer: func(req llm.Request) (llm.Response, error) {
		last := req.Messages[len(req.Messages)-1]
		// A reply with no role: Chat stores it as the assistant's.
		return llm.Response{Message: llm.Message{Parts: []llm.Part{llm.Text("re: " + last.Text())}}}, nil
	}}
	temp := 0.5
	c := memory.Chat(model, s, memory.SystemPrompt("Be brief."), memory.WithOptions(llm.Options{Temperature: &temp}))

	for _, q := range []string{"hello", "how are you?"} {
		resp, err := c.Run(ctx, memory.Turn{Session: "s", Message: llm.Message{Parts: []llm.Part{llm.Text(q)}}})
		if err != nil || resp.Text() != "re: "+q {
			t.Fatalf("Run(%q) = %q, %v", q, resp.Text(), err)
		}
	}
	reqs := model.requests()
	want := []string{"Be brief.", "hello", "re: hello", "how are you?"}
	if diff := cmp.Diff(want, texts(reqs[1].Messages)); diff != "" {
		t.Errorf("second request (-want +got):\n%s", diff)
	}
	if reqs[1].Temperature == nil || *reqs[1].Temperature != 0.5 {
		t.Error("request options not sent")
	}
	got := stored(t, s, "s")
	wantStored := []llm.Message{llm.User("hello"), llm.Assistant("re: hello"), llm.User("how are you?"), llm.Assistant("re: how are you?")}
	if !memory.EqualMessages(got, wantStored) {
		t.Errorf("stored %#v", got)
	}
}

func TestChatFailureStoresNothing(t *testing.T) {
	ctx := context.Background()
	s := memory.NewInProcess()
	boom := &llm.Error{Provider: "fake", StatusCode: 500, Temporary: true}
	model := &fakeModel{answer: func(llm.Request) (llm.Response, error) { return llm.Response{}, boom }}
	c := memory.Chat(model, s)
	if _, err := c.Run(ctx, memory.Turn{Session: "s", Message: llm.User("hi")}); !errors.Is(err, boom) {
		t.Fatalf("got %v, want the model's error", err)
	}
	if got := stored(t, s, "s"); len(got) != 0 {
		t.Fatalf("a failed call stored %q", texts(got))
	}
	// Wrapped in Retry, the turn is stored once when a retry succeeds.
	calls := 0
	model.answer = func(llm.Request) (llm.Response, error) {
		if calls++; calls == 1 {
			return llm.Response{}, boom
		}
		return llm.Response{Message: llm.Assistant("ok")}, nil
	}
	if _, err := chain.Retry(c, chain.Attempts(2), chain.Backoff(time.Millisecond, time.Millisecond)).Run(ctx, memory.Turn{Session: "s", Message: llm.User("hi")}); err != nil {
		t.Fatal(err)
	}
	if got := texts(stored(t, s, "s")); !cmp.Equal(got, []string{"hi", "ok"}) {
		t.Fatalf("stored %q", got)
	}
}

func TestChatStoreFailure(t *testing.T) {
	s := memory.NewInProcess()
	boom := errors.New("db gone")
	c := memory.Chat(&fakeModel{answer: reply("answer")}, failingStore{s, boom})
	resp, err := c.Run(context.Background(), memory.Turn{Session: "s", Message: llm.User("hi")})
	if !errors.Is(err, boom) || resp.Text() != "answer" {
		t.Fatalf("got %q, %v; want the reply and the store's error", resp.Text(), err)
	}
}

func TestChatLoadFailure(t *testing.T) {
	model := &fakeModel{answer: reply("answer")}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := memory.Chat(model, memory.NewInProcess()).Run(ctx, memory.Turn{Session: "s", Message: llm.User("hi")})
	if !errors.Is(err, context.Canceled) || len(model.requests()) != 0 {
		t.Fatalf("got %v after %d model calls", err, len(model.requests()))
	}
	_, err = memory.Chat(model, memory.NewInProcess()).Run(context.Background(), memory.Turn{Message: llm.User("hi")})
	if !errors.Is(err, memory.ErrNoSession) {
		t.Fatalf("no session: got %v", err)
	}
}

func TestChatDegradesWithoutSummary(t *testing.T) {
	s := memory.NewInProcess()
	fill(t, s, "s", llm.User("aaaa"), llm.Assistant("bbbb"), llm.User("cccc"), llm.Assistant("dddd"))
	summariser := &fakeModel{answer: func(llm.Request) (llm.Response, error) { return llm.Response{}, errors.New("down") }}
	model := &fakeModel{answer: reply("answer")}
	c := memory.Chat(model, memory.MustSummary(s, summariser, 10, chars, memory.KeepRecent(4)))
	var events []chain.Event
	var mu sync.Mutex
	ctx := chain.WithHooks(context.Background(), chain.HookFuncs{OnEvent: func(_ context.Context, _ chain.NodeInfo, e chain.Event) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, e)
	}})
	resp, err := c.Run(ctx, memory.Turn{Session: "s", Message: llm.User("eeee")})
	if err != nil || resp.Text() != "answer" {
		t.Fatalf("got %q, %v", resp.Text(), err)
	}
	if got := texts(model.requests()[0].Messages); !cmp.Equal(got, []string{"cccc", "dddd", "eeee"}) {
		t.Errorf("request without summary: %q", got)
	}
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, string(e.Kind))
		if e.Kind == memory.EventSummaryFailed && !errors.Is(e.Err, memory.ErrSummary) {
			t.Errorf("event error %v", e.Err)
		}
	}
	if !cmp.Equal(kinds, []string{string(memory.EventSummaryFailed), string(chain.EventTokens)}) {
		t.Errorf("events %q", kinds)
	}
	if n := len(stored(t, s, "s")); n != 6 {
		t.Errorf("store holds %d messages, want 6", n)
	}
}

func TestChatConcurrentSessions(t *testing.T) {
	s := memory.NewInProcess()
	c := memory.Chat(&fakeModel{answer: func(req llm.Request) (llm.Response, error) {
		return llm.Response{Message: llm.Assistant(fmt.Sprint(len(req.Messages)))}, nil
	}}, memory.MustWindow(s, 4))
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() {
			for range 5 {
				if _, err := c.Run(context.Background(), memory.Turn{Session: fmt.Sprint(i), Message: llm.User("q")}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	for i := range 10 {
		got := texts(stored(t, s, fmt.Sprint(i)))
		// The model saw 1, 3, 5, 5, 5 messages: the window holds 4.
		if want := []string{"q", "1", "q", "3", "q", "5", "q", "5", "q", "5"}; !cmp.Equal(got, want) {
			t.Fatalf("session %d: %q", i, got)
		}
	}
}

func TestChatDescribe(t *testing.T) {
	c := memory.Chat(&fakeModel{answer: reply("x")}, memory.NewInProcess())
	d := chain.Describe(c)
	if d.Kind != memory.KindMemory || len(d.Children) != 1 {
		t.Fatalf("Describe = %+v", d)
	}
	if m := chain.Mermaid(c); !strings.Contains(m, "chat memory") {
		t.Errorf("Mermaid:\n%s", m)
	}
}

package llmtest_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/llmtest"
)

var (
	_ llm.ChatModel   = (*llmtest.Model)(nil)
	_ llm.Streamer    = (*llmtest.Model)(nil)
	_ chain.Describer = (*llmtest.Model)(nil)
	_ llm.Embedder    = (*llmtest.Embedder)(nil)
	_ chain.Describer = (*llmtest.Embedder)(nil)
)

func ask(text string) llm.Request { return llm.Request{Messages: []llm.Message{llm.User(text)}} }

func TestModelScriptInOrderThenDefault(t *testing.T) {
	m := llmtest.NewModel("gpt",
		llmtest.Text("one"),
		llmtest.JSON(map[string]int{"n": 2}),
		llmtest.ToolCalls(llm.ToolCall{Name: "lookup", Arguments: []byte(`{"q":"x"}`)}),
	).WithDefault(llmtest.Text("again"))
	ctx := context.Background()
	var got []string
	for i := range 5 {
		resp, err := m.Chat(ctx, ask("question "+string(rune('a'+i))))
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		got = append(got, resp.Text())
		if i == 2 {
			want := []llm.ToolCall{{ID: "call_1", Name: "lookup", Arguments: []byte(`{"q":"x"}`)}}
			if diff := cmp.Diff(want, resp.Message.ToolCalls); diff != "" {
				t.Errorf("tool calls (-want +got):\n%s", diff)
			}
			if resp.FinishReason != "tool_calls" {
				t.Errorf("finish reason %q, want tool_calls", resp.FinishReason)
			}
		}
	}
	want := []string{"one", `{"n":2}`, "", "again", "again"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("texts (-want +got):\n%s", diff)
	}
	reqs := m.Requests()
	if len(reqs) != 5 || reqs[4].Messages[0].Text() != "question e" {
		t.Errorf("recorded %d requests, last %+v", len(reqs), reqs[len(reqs)-1])
	}
	if m.Remaining() != 0 {
		t.Errorf("Remaining = %d, want 0", m.Remaining())
	}
}

func TestModelNoReplyLeft(t *testing.T) {
	m := llmtest.NewModel("m", llmtest.Text("only"))
	ctx := context.Background()
	if _, err := m.Chat(ctx, ask("a")); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Chat(ctx, ask("b")); !errors.Is(err, llmtest.ErrNoReply) {
		t.Fatalf("err = %v, want ErrNoReply", err)
	}
}

func TestModelZeroReplyFails(t *testing.T) {
	m := llmtest.NewModel("m", llmtest.Reply{})
	if _, err := m.Chat(context.Background(), ask("a")); err == nil || !strings.Contains(err.Error(), "zero Reply") {
		t.Fatalf("err = %v, want a zero Reply error", err)
	}
}

func TestModelUsage(t *testing.T) {
	m := llmtest.NewModel("m", llmtest.Text("three word answer"), llmtest.Text("x").WithUsage(10, 20))
	ctx := context.Background()
	resp, _ := m.Chat(ctx, ask("two words"))
	if resp.Usage != (llm.Usage{InputTokens: 2, OutputTokens: 3}) {
		t.Errorf("estimated usage %+v", resp.Usage)
	}
	resp, _ = m.Chat(ctx, ask("two words"))
	if resp.Usage != (llm.Usage{InputTokens: 10, OutputTokens: 20}) {
		t.Errorf("scripted usage %+v", resp.Usage)
	}
}

func TestModelErrorsAndFunc(t *testing.T) {
	m := llmtest.NewModel("m",
		llmtest.Error(llmtest.StatusError(429)),
		llmtest.Func(func(_ context.Context, req llm.Request) (llm.Response, error) {
			return llm.Response{Message: llm.Assistant("echo: " + req.Messages[0].Text())}, nil
		}),
	)
	ctx := context.Background()
	_, err := m.Chat(ctx, ask("a"))
	var pe *llm.Error
	if !errors.As(err, &pe) || !errors.Is(err, llm.ErrRateLimited) || !chain.IsRetryable(err) {
		t.Fatalf("err = %v, want a retryable 429 *llm.Error", err)
	}
	resp, err := m.Chat(ctx, ask("hi"))
	if err != nil || resp.Text() != "echo: hi" {
		t.Fatalf("Func reply = %q, %v", resp.Text(), err)
	}
}

func TestModelValidatesRequests(t *testing.T) {
	m := llmtest.NewModel("m", llmtest.Text("never"))
	_, err := m.Chat(context.Background(), llm.Request{})
	if !errors.Is(err, llm.ErrNoMessages) {
		t.Fatalf("err = %v, want ErrNoMessages", err)
	}
	if m.Remaining() != 1 || len(m.Requests()) != 1 {
		t.Errorf("an invalid request took a reply (remaining %d) or was not recorded (%d)", m.Remaining(), len(m.Requests()))
	}
}

func TestModelHangHonoursContext(t *testing.T) {
	m := llmtest.NewModel("m", llmtest.Hang(), llmtest.Hang(), llmtest.Text("late").WithDelay(time.Hour))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := m.Chat(ctx, ask("a")); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Chat err = %v", err)
	}
	ctx2, cancel2 := context.WithCancel(context.Background())
	time.AfterFunc(10*time.Millisecond, cancel2)
	if _, err := llm.Collect(m.Stream(ctx2, ask("b"))); !errors.Is(err, context.Canceled) {
		t.Fatalf("Stream err = %v", err)
	}
	ctx3, cancel3 := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel3()
	if _, err := m.Chat(ctx3, ask("c")); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("delayed Chat err = %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestModelCancelledBeforeCall(t *testing.T) {
	m := llmtest.NewModel("m", llmtest.Text("x"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.Chat(ctx, ask("a")); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if m.Remaining() != 1 || len(m.Requests()) != 0 {
		t.Errorf("a cancelled call took a reply or was recorded")
	}
}

func TestModelStream(t *testing.T) {
	tests := []struct {
		name   string
		reply  llmtest.Reply
		chunks []string
		err    error
	}{
		{"words", llmtest.Text("the quick fox"), []string{"the ", "quick ", "fox"}, nil},
		{"chunk size", llmtest.Text("héllo").WithChunkSize(2), []string{"hé", "ll", "o"}, nil},
		{"empty", llmtest.Text(""), nil, nil},
		{"cut", llmtest.Cut("half an"), []string{"half ", "an"}, llm.ErrIncompleteStream},
		{"error", llmtest.Error(llmtest.StatusError(503)), nil, llm.ErrServer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := llmtest.NewModel("m", tt.reply)
			var (
				got  []string
				done bool
				err  error
			)
			for c, e := range m.Stream(context.Background(), ask("q")) {
				if e != nil {
					err = e
					break
				}
				if c.Done {
					done = true
					if c.Usage == nil || c.FinishReason != "stop" {
						t.Errorf("Done chunk %+v", c)
					}
					continue
				}
				got = append(got, c.Text)
			}
			if diff := cmp.Diff(tt.chunks, got); diff != "" {
				t.Errorf("chunks (-want +got):\n%s", diff)
			}
			if tt.err == nil && (err != nil || !done) {
				t.Errorf("err = %v, done = %v", err, done)
			}
			if tt.err != nil && (!errors.Is(err, tt.err) || done) {
				t.Errorf("err = %v, want %v (done %v)", err, tt.err, done)
			}
		})
	}
}

func TestModelStreamCollectMatchesChat(t *testing.T) {
	m := llmtest.NewModel("m", llmtest.Text("same answer"), llmtest.Text("same answer"),
		llmtest.ToolCalls(llm.ToolCall{Name: "f"}), llmtest.Cut("partial"))
	ctx := context.Background()
	chat, _ := m.Chat(ctx, ask("q"))
	streamed, err := llm.Collect(m.Stream(ctx, ask("q")))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(chat, streamed, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Model" }, cmp.Ignore())); diff != "" {
		t.Errorf("Chat vs Stream (-chat +stream):\n%s", diff)
	}
	tc, err := llm.Collect(m.Stream(ctx, ask("q")))
	if err != nil || len(tc.Message.ToolCalls) != 1 || tc.FinishReason != "tool_calls" {
		t.Errorf("streamed tool calls %+v, %v", tc, err)
	}
	if _, err := llm.Collect(m.Stream(ctx, ask("q"))); !errors.Is(err, llm.ErrIncompleteStream) {
		t.Errorf("cut stream: err = %v", err)
	}
}

func TestModelStreamStopEarly(t *testing.T) {
	m := llmtest.NewModel("m", llmtest.Text("a b c d"))
	n := 0
	for range m.Stream(context.Background(), ask("q")) {
		n++
		break
	}
	if n != 1 {
		t.Fatalf("got %d chunks", n)
	}
}

func TestModelConcurrent(t *testing.T) {
	const n = 50
	replies := make([]llmtest.Reply, n)
	for i := range replies {
		replies[i] = llmtest.Text("r")
	}
	m := llmtest.NewModel("m", replies...)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := m.Chat(context.Background(), ask("q")); err != nil {
				errs <- err
			}
			_ = m.Requests()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if m.Remaining() != 0 || len(m.Requests()) != n {
		t.Errorf("remaining %d, recorded %d", m.Remaining(), len(m.Requests()))
	}
}

func TestModelRecordsCopies(t *testing.T) {
	m := llmtest.NewModel("m", llmtest.Text("x"))
	req := ask("original")
	if _, err := m.Chat(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	req.Messages[0].Parts[0].Text = "changed"
	if got := m.Requests()[0].Messages[0].Text(); got != "original" {
		t.Errorf("recorded request changed to %q", got)
	}
}

func TestModelDescribe(t *testing.T) {
	m := llmtest.NewModel("gpt")
	n := chain.Describe(m)
	if n.Kind != chain.KindModel || n.Name != "llmtest:gpt" {
		t.Errorf("node %+v", n)
	}
}

func TestModelRecordOff(t *testing.T) {
	m := llmtest.NewModel("m").WithDefault(llmtest.Text("x")).Record(false)
	if _, err := m.Chat(context.Background(), ask("a")); err != nil {
		t.Fatal(err)
	}
	if n := len(m.Requests()); n != 0 {
		t.Errorf("recorded %d requests with recording off", n)
	}
}

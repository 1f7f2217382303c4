package openai_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/llm"
)

func TestStreamTextEqualsChat(t *testing.T) {
	const text = "Streaming sends the answer in pieces — as the model writes it."
	s := openaitest.New(t, openaitest.WithAPIKey(testKey))
	s.EnqueueChat(openaitest.Text(text).WithUsage(9, 15), openaitest.Text(text).WithChunkSize(5).WithUsage(9, 15))
	m := newModel(t, s)

	plain, err := m.Chat(context.Background(), user("go"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, events := tokenEvents(context.Background())
	var chunks []llm.Chunk
	for c, err := range llm.Stream(ctx, m, user("go")) {
		if err != nil {
			t.Fatal(err)
		}
		chunks = append(chunks, c)
	}
	if r, _ := s.LastRequest(); !r.Stream() || !r.IncludeUsage() {
		t.Errorf("stream %v, include_usage %v: want both", r.Stream(), r.IncludeUsage())
	}
	if len(chunks) < 10 {
		t.Errorf("%d chunks, want one per delta", len(chunks))
	}
	var b strings.Builder
	for _, c := range chunks[:len(chunks)-1] {
		if c.Done || c.Text == "" {
			t.Errorf("chunk before the last = %+v", c)
		}
		b.WriteString(c.Text)
	}
	last := chunks[len(chunks)-1]
	if !last.Done || last.FinishReason != "stop" || last.Usage == nil || *last.Usage != plain.Usage {
		t.Errorf("last chunk = %+v, want Done, stop, usage %+v", last, plain.Usage)
	}
	if b.String() != plain.Text() {
		t.Errorf("streamed %q, plain call %q", b.String(), plain.Text())
	}
	if ev := events(); len(ev) != 1 || ev[0].Name != "openai:gpt-4o-mini" || ev[0].InputTokens != 9 || ev[0].OutputTokens != 15 {
		t.Errorf("token events = %+v, want one of openai:gpt-4o-mini, 9 in, 15 out", ev)
	}
}

func TestStreamCollect(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.Text("one two three"), openaitest.Text("one two three"))
	m := newModel(t, s)
	plain, err := m.Chat(context.Background(), user("x"))
	if err != nil {
		t.Fatal(err)
	}
	streamed, err := llm.Collect(m.Stream(context.Background(), user("x")))
	if err != nil {
		t.Fatal(err)
	}
	plain.Model = "" // Collect does not know the model
	if diff := cmp.Diff(plain, streamed); diff != "" {
		t.Errorf("Collect(Stream) differs from Chat (-chat +stream):\n%s", diff)
	}
}

func TestStreamToolCalls(t *testing.T) {
	calls := []openaitest.ToolCall{
		{ID: "call_a", Name: "get_weather", Arguments: `{"city":"Paris","unit":"celsius"}`},
		{ID: "call_b", Name: "get_weather", Arguments: `{"city":"Tokyo","unit":"celsius"}`},
		{ID: "call_c", Name: "now", Arguments: `{}`},
	}
	for _, tc := range []struct {
		name  string
		reply openaitest.Reply
		text  string
	}{
		{"calls only", openaitest.ToolCalls(calls...).WithChunkSize(3), ""},
		{"text first", openaitest.ToolCalls(calls...).WithChunkSize(2).WithContent("Let me check."), "Let me check."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openaitest.New(t)
			s.EnqueueChat(tc.reply)
			m := newModel(t, s)
			req := user("Weather in Paris and Tokyo, and the time?")
			req.Tools = []llm.Tool{weatherTool, {Name: "now"}}
			resp, err := llm.Collect(m.Stream(context.Background(), req))
			if err != nil {
				t.Fatal(err)
			}
			want := []llm.ToolCall{
				{ID: "call_a", Name: "get_weather", Arguments: json.RawMessage(calls[0].Arguments)},
				{ID: "call_b", Name: "get_weather", Arguments: json.RawMessage(calls[1].Arguments)},
				{ID: "call_c", Name: "now", Arguments: json.RawMessage(`{}`)},
			}
			if diff := cmp.Diff(want, resp.Message.ToolCalls); diff != "" {
				t.Errorf("tool calls (-want +got):\n%s", diff)
			}
			if resp.FinishReason != "tool_calls" || resp.Text() != tc.text {
				t.Errorf("finish %q, text %q", resp.FinishReason, resp.Text())
			}
		})
	}
}

func TestStreamCut(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.CutStream("Half an ans"))
	m := newModel(t, s)
	var text strings.Builder
	var last error
	for c, err := range m.Stream(context.Background(), user("x")) {
		if err != nil {
			last = err
			break
		}
		text.WriteString(c.Text)
	}
	if text.String() != "Half an ans" {
		t.Errorf("text before the cut = %q", text.String())
	}
	var le *llm.Error
	if !errors.Is(last, llm.ErrIncompleteStream) || !errors.As(last, &le) || !le.Retryable() || le.StatusCode != 0 {
		t.Fatalf("err = %v, want a retryable *llm.Error wrapping ErrIncompleteStream", last)
	}
}

func TestStreamErrorEvent(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.StreamError("partial", "server_error", "overloaded_mid_stream", "The model crashed."))
	m := newModel(t, s)
	_, err := llm.Collect(m.Stream(context.Background(), user("x")))
	var le *llm.Error
	if !errors.As(err, &le) {
		t.Fatalf("err = %v, want *llm.Error", err)
	}
	if le.Message != "The model crashed." || le.Code != "overloaded_mid_stream" || !le.Retryable() || le.Provider != "openai" {
		t.Errorf("error = %+v", le)
	}
}

func TestStreamHTTPErrors(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.RateLimited(1500*time.Millisecond), openaitest.ModelNotFound("gpt-x"))
	m := newModel(t, s)
	_, err := llm.Collect(m.Stream(context.Background(), user("x")))
	var le *llm.Error
	if !errors.As(err, &le) || !errors.Is(err, llm.ErrRateLimited) || le.RetryAfter() != 1500*time.Millisecond {
		t.Errorf("err = %v, want 429 with RetryAfter 1.5s", err)
	}
	_, err = llm.Collect(m.Stream(context.Background(), user("x")))
	if !errors.Is(err, llm.ErrModelNotFound) {
		t.Errorf("err = %v, want ErrModelNotFound", err)
	}
}

// TestStreamEarlyBreak: stopping the loop closes the connection, so the
// server's handler (stalled mid-stream) returns and no goroutine is left.
func TestStreamEarlyBreak(t *testing.T) {
	for _, reply := range []openaitest.Reply{
		openaitest.StallStream("never ending story"),
		openaitest.Text(strings.Repeat("long answer ", 2000)),
	} {
		t.Run(reply.String(), func(t *testing.T) {
			s := openaitest.New(t)
			s.EnqueueChat(reply)
			m := newModel(t, s)
			ignore := goleak.IgnoreCurrent()
			n := 0
			for c, err := range m.Stream(context.Background(), user("x")) {
				if err != nil {
					t.Fatal(err)
				}
				if c.Text != "" {
					n++
				}
				if n == 2 {
					break
				}
			}
			if n != 2 {
				t.Fatalf("got %d chunks", n)
			}
			goleak.VerifyNone(t, ignore)
		})
	}
}

func TestStreamStallDeadline(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.StallStream("waiting"))
	m := newModel(t, s)
	ctx := ctxTimeout(t, 150*time.Millisecond)
	start := time.Now()
	_, err := llm.Collect(m.Stream(ctx, user("x")))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("returned after %v", d)
	}
}

package gemini_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/geminitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/gemini"
)

// TestStream: the text arrives in several chunks over SSE (alt=sse), the
// last chunk carries the finish reason and the usage.
func TestStream(t *testing.T) {
	s := newServer(t)
	m := newModel(t, s)
	s.EnqueueChat(geminitest.Text("Hello, streaming world").WithChunkSize(5).WithUsage(10, 6))
	var texts []string
	var last llm.Chunk
	for c, err := range m.Stream(context.Background(), user("x")) {
		if err != nil {
			t.Fatal(err)
		}
		if c.Text != "" {
			texts = append(texts, c.Text)
		}
		last = c
	}
	if strings.Join(texts, "") != "Hello, streaming world" || len(texts) != 5 {
		t.Errorf("chunks = %q", texts)
	}
	if !last.Done || last.FinishReason != "stop" || last.Usage == nil || *last.Usage != (llm.Usage{InputTokens: 10, OutputTokens: 6}) {
		t.Errorf("last chunk = %+v", last)
	}
	r, _ := lastGenerate(t, s)
	if r.Path != "/v1beta/models/gemini-2.5-flash:streamGenerateContent" || r.RawQuery != "alt=sse" {
		t.Errorf("request %s?%s", r.Path, r.RawQuery)
	}
}

// TestStreamFunctionCalls: calls streamed after some text come whole in
// the last chunk.
func TestStreamFunctionCalls(t *testing.T) {
	s := newServer(t)
	m := newModel(t, s)
	s.EnqueueChat(geminitest.FunctionCalls(geminitest.Call{ID: "a", Name: "f", Args: `{"x":1}`}, geminitest.Call{ID: "b", Name: "g"}).WithText("Let me see."))
	resp, err := llm.Collect(m.Stream(context.Background(), llm.Request{Messages: []llm.Message{llm.User("x")}, Tools: []llm.Tool{{Name: "f"}, {Name: "g"}}}))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Text() != "Let me see." || resp.FinishReason != "tool_calls" || len(resp.Message.ToolCalls) != 2 ||
		resp.Message.ToolCalls[0].ID != "a" || string(resp.Message.ToolCalls[0].Arguments) != `{"x":1}` {
		t.Errorf("response = %+v", resp)
	}
}

// TestStreamFaults: a cut stream, a stream with no finish reason and an
// error event are *llm.Error values; a cut before any text is retried,
// one after the first chunk is not.
func TestStreamFaults(t *testing.T) {
	t.Run("cut after a chunk", func(t *testing.T) {
		s := newServer(t)
		m := newModel(t, s, gemini.WithMaxRetries(2), gemini.WithRetryBackoff(time.Millisecond, time.Millisecond))
		s.EnqueueChat(geminitest.CutStream("partial answer"))
		var text strings.Builder
		var err error
		for c, e := range m.Stream(context.Background(), user("x")) {
			text.WriteString(c.Text)
			err = e
		}
		var le *llm.Error
		if !errors.Is(err, llm.ErrIncompleteStream) || !errors.As(err, &le) || !le.Retryable() {
			t.Errorf("err = %v", err)
		}
		if text.Len() == 0 {
			t.Error("no chunk before the cut")
		}
		if n := len(s.Requests()); n != 1 {
			t.Errorf("%d requests: a stream that started was retried", n)
		}
	})
	t.Run("cut before a chunk is retried", func(t *testing.T) {
		s := newServer(t)
		m := newModel(t, s, gemini.WithMaxRetries(2), gemini.WithRetryBackoff(time.Millisecond, time.Millisecond))
		s.EnqueueChat(geminitest.CutStream(""), geminitest.Unavailable(), geminitest.Text("fine"))
		resp, err := llm.Collect(m.Stream(context.Background(), user("x")))
		if err != nil || resp.Text() != "fine" {
			t.Errorf("resp %q, err %v", resp.Text(), err)
		}
		if n := len(s.Requests()); n != 3 {
			t.Errorf("%d requests, want 3", n)
		}
	})
	t.Run("error event", func(t *testing.T) {
		s := newServer(t)
		m := newModel(t, s)
		s.EnqueueChat(geminitest.StreamError("some text", 503, "UNAVAILABLE", "overloaded"))
		_, err := llm.Collect(m.Stream(context.Background(), user("x")))
		var le *llm.Error
		if !errors.As(err, &le) || le.Code != "UNAVAILABLE" || le.Message != "overloaded" || !le.Retryable() {
			t.Errorf("err = %v (%+v)", err, le)
		}
	})
	t.Run("http error", func(t *testing.T) {
		s := newServer(t)
		m := newModel(t, s)
		s.EnqueueChat(geminitest.RateLimited(2 * time.Second))
		_, err := llm.Collect(m.Stream(context.Background(), user("x")))
		var le *llm.Error
		if !errors.As(err, &le) || le.StatusCode != 429 || le.RetryAfter() != 2*time.Second {
			t.Errorf("err = %v (%+v)", err, le)
		}
	})
	t.Run("stall ends by the attempt timeout", func(t *testing.T) {
		s := newServer(t)
		m := newModel(t, s, gemini.WithTimeout(300*time.Millisecond))
		s.EnqueueChat(geminitest.StallStream("abc"))
		_, err := llm.Collect(m.Stream(ctxTimeout(t, 30*time.Second), user("x")))
		if !errors.Is(err, context.DeadlineExceeded) || !chain.IsRetryable(err) {
			t.Errorf("err = %v", err)
		}
	})
}

// TestStreamStopEarly: breaking out of the loop ends the request; nothing
// leaks (TestMain's goleak checks).
func TestStreamStopEarly(t *testing.T) {
	s := newServer(t)
	m := newModel(t, s)
	s.EnqueueChat(geminitest.StallStream("one two three"))
	for c, err := range m.Stream(ctxTimeout(t, 30*time.Second), user("x")) {
		if err != nil {
			t.Fatal(err)
		}
		if c.Text != "" {
			break
		}
	}
}

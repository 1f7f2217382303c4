package guard_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/internal/ollamatest"
	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/guard"
)

// drain collects a stream's text and its error.
func drain(t *testing.T, m llm.ChatModel, req llm.Request) (string, error) {
	t.Helper()
	var b strings.Builder
	for c, err := range llm.Stream(context.Background(), m, req) {
		if err != nil {
			return b.String(), err
		}
		b.WriteString(c.Text)
	}
	return b.String(), nil
}

func TestStreamRetriedBeforeFirstChunk(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.Overloaded(), openaitest.RateLimited(1), openaitest.Text("hello world"))
	m := guard.MustNew(newOpenAI(t, s), guard.WithRetry(3), guard.WithClock(autoClock()))
	text, err := drain(t, m, ask("hi"))
	if err != nil || text != "hello world" || len(s.Requests()) != 3 {
		t.Fatalf("%q, %v after %d requests", text, err, len(s.Requests()))
	}
}

func TestStreamNotRetriedAfterFirstChunk(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.CutStream("hello wo"), openaitest.Text("hello world"))
	m := guard.MustNew(newOpenAI(t, s), guard.WithRetry(3), guard.WithFallback(&echoModel{}), guard.WithClock(autoClock()))
	text, err := drain(t, m, ask("hi"))
	if err == nil || !guard.Retryable(err) {
		t.Fatalf("error %v, want the dropped connection", err)
	}
	if text != "hello wo" || len(s.Requests()) != 1 {
		t.Fatalf("text %q after %d requests, want the partial text once and no retry", text, len(s.Requests()))
	}
}

func TestOllamaStream(t *testing.T) {
	s := ollamatest.New(t)
	s.Enqueue(ollamatest.Error(503, "busy"), ollamatest.Text("streamed answer"))
	m := guard.MustNew(newOllama(t, s), guard.WithRetry(3), guard.WithClock(autoClock()))
	text, err := drain(t, m, ask("hi"))
	if err != nil || text != "streamed answer" || len(s.Requests()) != 2 {
		t.Fatalf("%q, %v after %d requests", text, err, len(s.Requests()))
	}

	s.Enqueue(ollamatest.Cut("partial answ"), ollamatest.Text("partial answer"))
	text, err = drain(t, m, ask("hi"))
	if err == nil || text != "partial answ" || len(s.Requests()) != 3 {
		t.Fatalf("%q, %v after %d requests, want the cut stream's error and no retry", text, err, len(s.Requests()))
	}
}

func TestStreamStopEarly(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.Text("one two three four five six").WithChunkSize(4))
	m := guard.MustNew(newOpenAI(t, s), guard.WithRetry(3), guard.WithMaxConcurrent(1))
	n := 0
	for _, err := range m.Stream(context.Background(), ask("hi")) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 2 {
			break
		}
	}
	// The slot was given back: another call goes through.
	if _, err := m.Chat(context.Background(), ask("next")); err != nil {
		t.Fatal(err)
	}
}

func TestStreamFallsBackBeforeFirstChunk(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.BadRequest("unsupported"))
	m := guard.MustNew(newOpenAI(t, s), guard.WithFallback(&echoModel{}))
	text, err := drain(t, m, ask("from the fallback"))
	if err != nil || text != "from the fallback" {
		t.Fatalf("%q, %v", text, err)
	}
}

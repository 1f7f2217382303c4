package memory_test

import (
	"context"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/memory"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakeModel is a chat model that answers with answer(req) and records the
// requests it was sent.
type fakeModel struct {
	answer func(req llm.Request) (llm.Response, error)

	mu   sync.Mutex
	reqs []llm.Request
}

func (f *fakeModel) Chat(ctx context.Context, req llm.Request) (llm.Response, error) {
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	f.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return llm.Response{}, err
	}
	return f.answer(req)
}

func (f *fakeModel) requests() []llm.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]llm.Request(nil), f.reqs...)
}

func reply(text string) func(llm.Request) (llm.Response, error) {
	return func(llm.Request) (llm.Response, error) {
		return llm.Response{Message: llm.Assistant(text), Usage: llm.Usage{InputTokens: 10, OutputTokens: 2}}, nil
	}
}

func texts(msgs []llm.Message) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.Text()
	}
	return out
}

func fill(t *testing.T, s memory.Store, session string, msgs ...llm.Message) {
	t.Helper()
	if err := s.Append(context.Background(), session, msgs...); err != nil {
		t.Fatal(err)
	}
}

func stored(t *testing.T, s memory.Store, session string) []llm.Message {
	t.Helper()
	msgs, err := s.Messages(context.Background(), session)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

// toolExchange returns an assistant message asking for n tool calls and
// the n results, named after id.
func toolExchange(id string, n int) []llm.Message {
	ask := llm.Message{Role: llm.RoleAssistant}
	var results []llm.Message
	for i := range n {
		c := llm.ToolCall{ID: id + string(rune('a'+i)), Name: "tool", Arguments: []byte(`{}`)}
		ask.ToolCalls = append(ask.ToolCalls, c)
		results = append(results, llm.ToolResult(c, id+"-result"))
	}
	return append([]llm.Message{ask}, results...)
}

package tools_test

import (
	"context"
	"errors"
	"testing"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/llmtest"
	"github.com/chorus-go/chorus/memory"
	"github.com/chorus-go/chorus/tools"
)

// failingMemory fails Append, or Messages, as told.
type failingMemory struct {
	memory.Memory
	failAppend, failLoad bool
}

func (f failingMemory) Messages(ctx context.Context, s string) ([]llm.Message, error) {
	if f.failLoad {
		return nil, errors.New("database down")
	}
	return f.Memory.Messages(ctx, s)
}

func (f failingMemory) Append(ctx context.Context, s string, msgs ...llm.Message) error {
	if f.failAppend {
		return errors.New("disk full")
	}
	return f.Memory.Append(ctx, s, msgs...)
}

func TestConversation(t *testing.T) {
	ctx := testContext(t)
	store := memory.NewInProcess()
	model := llmtest.NewModel("gpt", llmtest.Error(llmtest.StatusError(500)), llmtest.Text("hello"))
	conv := tools.MustAgent(model, nil).Conversation(store)

	if _, err := conv.Run(ctx, tools.Turn{Question: "hi"}); !errors.Is(err, memory.ErrNoSession) {
		t.Errorf("no session: %v", err)
	}
	if _, err := collect(conv.Events(ctx, tools.Turn{Question: "hi"})); !errors.Is(err, memory.ErrNoSession) {
		t.Errorf("no session, events: %v", err)
	}
	if _, err := conv.Run(ctx, tools.Turn{Session: "s", Question: "hi"}); !errors.Is(err, llm.ErrServer) {
		t.Fatalf("failing model: %v", err)
	}
	if msgs, _ := store.Messages(ctx, "s"); len(msgs) != 0 {
		t.Errorf("a failed run stored %d messages", len(msgs))
	}
	// Stopping at the answer event: the turn is already stored.
	for e := range conv.Events(ctx, tools.Turn{Session: "s", Question: "hi"}) {
		if e.Kind == tools.EventAnswer {
			break
		}
	}
	if msgs, _ := store.Messages(ctx, "s"); len(msgs) != 2 || msgs[0].Text() != "hi" || msgs[1].Text() != "hello" {
		t.Errorf("stored %+v", msgs)
	}
}

func TestConversationMemoryFails(t *testing.T) {
	ctx := testContext(t)
	model := llmtest.NewModel("gpt").WithDefault(llmtest.Text("hello"))
	a := tools.MustAgent(model, nil)

	ans, err := a.Conversation(failingMemory{Memory: memory.NewInProcess(), failAppend: true}).Run(ctx, tools.Turn{Session: "s", Question: "hi"})
	if err == nil || ans.Text != "hello" {
		t.Errorf("append failed: %+v, %v (the answer must come with the error)", ans, err)
	}
	events, err := collect(a.Conversation(failingMemory{Memory: memory.NewInProcess(), failAppend: true}).Events(ctx, tools.Turn{Session: "s", Question: "hi"}))
	if last := events[len(events)-1]; err == nil || last.Kind != tools.EventError || last.Answer == nil || last.Answer.Text != "hello" {
		t.Errorf("append failed, events: %s, %v", kinds(events), err)
	}
	if _, err := a.Conversation(failingMemory{Memory: memory.NewInProcess(), failLoad: true}).Run(ctx, tools.Turn{Session: "s", Question: "hi"}); err == nil {
		t.Error("load failed, no error")
	}
	defer func() {
		if recover() == nil {
			t.Error("Conversation(nil) did not panic")
		}
	}()
	a.Conversation(nil)
}

func TestConversationWindow(t *testing.T) {
	// A window policy never separates tool calls from their results, so a
	// long conversation with tools stays a valid request.
	ctx := testContext(t)
	model := llmtest.NewModel("gpt").WithDefault(llmtest.Func(func(_ context.Context, req llm.Request) (llm.Response, error) {
		last := req.Messages[len(req.Messages)-1]
		if last.Role == llm.RoleTool {
			return llm.Response{Message: llm.Assistant("it is " + last.Text())}, nil
		}
		return llm.Response{Message: llm.Message{Role: llm.RoleAssistant, ToolCalls: []llm.ToolCall{toolCall("add", `{"a":1,"b":1}`)}}}, nil
	}))
	conv := tools.MustAgent(model, tools.MustToolset(addTool())).Conversation(memory.MustWindow(memory.NewInProcess(), 3))
	for range 4 {
		if _, err := conv.Run(ctx, tools.Turn{Session: "s", Question: "1+1?"}); err != nil {
			t.Fatal(err)
		}
	}
	for i, req := range model.Requests() {
		if err := req.Validate(); err != nil {
			t.Errorf("request %d: %v", i, err)
		}
		if first := req.Messages[0]; first.Role == llm.RoleTool {
			t.Errorf("request %d starts with a tool result", i)
		}
	}
}

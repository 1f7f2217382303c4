package tools_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/llmtest"
	"github.com/chorus-go/chorus/tools"
)

// chatOnly hides a model's Stream method.
type chatOnly struct{ m llm.ChatModel }

func (c chatOnly) Chat(ctx context.Context, req llm.Request) (llm.Response, error) {
	return c.m.Chat(ctx, req)
}

func TestEventsStreamed(t *testing.T) {
	model := llmtest.NewModel("gpt",
		llmtest.ToolCalls(toolCall("add", `{"a":1,"b":2}`), toolCall("nope", `{}`)),
		llmtest.Text("The sum is 3."),
	)
	events, err := collect(tools.MustAgent(model, tools.MustToolset(addTool())).Events(testContext(t), "1+2?"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := kinds(events), "tool_call tool_call tool_result tool_result text answer"; got != want {
		t.Fatalf("events %s, want %s", got, want)
	}
	// The refused call's result comes first, then the calls that ran.
	if e := events[2]; e.Call.Name != "nope" || !errors.Is(e.Err, tools.ErrUnknownTool) || e.Step != 1 {
		t.Errorf("first result %+v", e)
	}
	if e := events[3]; e.Call.Name != "add" || e.Result != "3" || e.Err != nil {
		t.Errorf("second result %+v", e)
	}
	if n := countText(events, 2); n != 4 {
		t.Errorf("%d text events, want one per word", n)
	}
}

func TestEventsNonStreamingModel(t *testing.T) {
	model := llmtest.NewModel("gpt", llmtest.ToolCalls(toolCall("add", `{"a":1,"b":2}`)).WithUsage(5, 1), llmtest.Text("The sum is 3.").WithUsage(7, 4))
	var tokens atomic.Int64
	ctx := chain.WithHooks(testContext(t), chain.HookFuncs{OnEvent: func(_ context.Context, _ chain.NodeInfo, e chain.Event) {
		if e.Kind == chain.EventTokens {
			tokens.Add(int64(e.InputTokens + e.OutputTokens))
		}
	}})
	events, err := collect(tools.MustAgent(chatOnly{model}, tools.MustToolset(addTool())).Events(ctx, "1+2?"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := kinds(events), "tool_call tool_result text answer"; got != want || countText(events, 2) != 1 {
		t.Fatalf("events %s, want %s with the text in one piece", got, want)
	}
	if tokens.Load() != 17 {
		t.Errorf("hooks saw %d tokens, want 17 (the agent reports them for a model that does not stream)", tokens.Load())
	}
}

func TestEventsError(t *testing.T) {
	model := llmtest.NewModel("gpt", llmtest.Text("whole"), llmtest.Cut("cut off"))
	a := tools.MustAgent(model, nil)
	if _, err := collect(a.Events(testContext(t), "one")); err != nil {
		t.Fatal(err)
	}
	events, err := collect(a.Events(testContext(t), "two"))
	if !errors.Is(err, llm.ErrIncompleteStream) {
		t.Fatalf("err = %v", err)
	}
	last := events[len(events)-1]
	if got := kinds(events); got != "text error" || last.Err != err || last.Answer != nil {
		t.Errorf("events %s, last %+v", got, last)
	}
}

func TestEventsStopEarly(t *testing.T) {
	t.Run("at a text event", func(t *testing.T) {
		model := llmtest.NewModel("gpt", llmtest.Text("a long answer"))
		n := 0
		for e, err := range tools.MustAgent(model, nil).Events(testContext(t), "go") {
			n++
			if err != nil || e.Kind != tools.EventText {
				t.Fatalf("event %+v, %v", e, err)
			}
			break
		}
		if n != 1 {
			t.Errorf("%d events", n)
		}
	})
	t.Run("at a tool call", func(t *testing.T) {
		var ran atomic.Int32
		counted := tools.MustNew("count", "", func(context.Context, Nothing) (string, error) {
			ran.Add(1)
			return "", nil
		})
		model := llmtest.NewModel("gpt", llmtest.ToolCalls(toolCall("count", `{}`)))
		for e := range tools.MustAgent(model, tools.MustToolset(counted)).Events(testContext(t), "go") {
			if e.Kind == tools.EventToolCall {
				break
			}
		}
		if ran.Load() != 0 {
			t.Error("the tool ran after the consumer stopped")
		}
	})
	t.Run("at a tool result, others running", func(t *testing.T) {
		var cancelled atomic.Int32
		mixed := tools.MustNew("mixed", "", func(ctx context.Context, p Path) (string, error) {
			if p.Path == "fast" {
				return "fast", nil
			}
			<-ctx.Done()
			cancelled.Add(1)
			return "", ctx.Err()
		})
		model := llmtest.NewModel("gpt", llmtest.ToolCalls(
			toolCall("mixed", `{"path":"slow1"}`), toolCall("mixed", `{"path":"fast"}`), toolCall("mixed", `{"path":"slow2"}`)))
		var results []string
		for e := range tools.MustAgent(model, tools.MustToolset(mixed)).Events(testContext(t), "go") {
			if e.Kind == tools.EventToolResult {
				results = append(results, e.Result)
				break
			}
		}
		// The loop returned only once the calls still running had ended.
		if strings.Join(results, ",") != "fast" || cancelled.Load() != 2 {
			t.Errorf("results %v, %d cancelled", results, cancelled.Load())
		}
	})
}

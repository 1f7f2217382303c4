package tools_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/llmtest"
	"github.com/chorus-go/chorus/memory"
	"github.com/chorus-go/chorus/tools"
)

func toolCall(name, args string) llm.ToolCall {
	return llm.ToolCall{Name: name, Arguments: json.RawMessage(args)}
}

func TestAgentRequests(t *testing.T) {
	model := llmtest.NewModel("gpt",
		llmtest.ToolCalls(toolCall("add", `{"a":1,"b":2}`), toolCall("add", `{"a":3,"b":4}`)),
		llmtest.Text("3 and 7"),
	)
	temp := 0.0
	a := tools.MustAgent(model, tools.MustToolset(addTool()),
		tools.WithSystem("Be exact."), tools.WithOptions(llm.Options{Temperature: &temp, MaxTokens: 50}))
	ans, err := a.Ask(testContext(t), "1+2 and 3+4?")
	if err != nil {
		t.Fatal(err)
	}
	reqs := model.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests", len(reqs))
	}
	for _, r := range reqs {
		if len(r.Tools) != 1 || r.Tools[0].Name != "add" || r.MaxTokens != 50 || r.Temperature == nil || r.Messages[0].Text() != "Be exact." {
			t.Errorf("request %+v", r)
		}
	}
	second := reqs[1].Messages
	want := []llm.Message{
		llm.System("Be exact."),
		llm.User("1+2 and 3+4?"),
		{Role: llm.RoleAssistant, ToolCalls: []llm.ToolCall{
			{ID: "call_1", Name: "add", Arguments: json.RawMessage(`{"a":1,"b":2}`)},
			{ID: "call_2", Name: "add", Arguments: json.RawMessage(`{"a":3,"b":4}`)},
		}},
		{Role: llm.RoleTool, ToolCallID: "call_1", Name: "add", Parts: []llm.Part{llm.Text("3")}},
		{Role: llm.RoleTool, ToolCallID: "call_2", Name: "add", Parts: []llm.Part{llm.Text("7")}},
	}
	if diff := cmp.Diff(want, second); diff != "" {
		t.Errorf("second request (-want +got):\n%s", diff)
	}
	wantAns := tools.Answer{
		Text:      "3 and 7",
		Messages:  append(slices.Clone(want[2:]), llm.Message{Role: llm.RoleAssistant, Parts: []llm.Part{llm.Text("3 and 7")}}),
		Steps:     2,
		ToolCalls: 2,
		Usage:     llm.Usage{InputTokens: 5 + 7, OutputTokens: 3}, // llmtest counts words
	}
	if diff := cmp.Diff(wantAns, ans); diff != "" {
		t.Errorf("answer (-want +got):\n%s", diff)
	}
}

func TestAgentMakesUpCallIDs(t *testing.T) {
	noIDs := llmtest.Func(func(context.Context, llm.Request) (llm.Response, error) {
		return llm.Response{Message: llm.Message{Role: llm.RoleAssistant, ToolCalls: []llm.ToolCall{
			toolCall("add", `{"a":1,"b":1}`), toolCall("add", `{"a":2,"b":2}`),
		}}}, nil
	})
	model := llmtest.NewModel("gpt", noIDs, llmtest.Text("ok"))
	if _, err := tools.MustAgent(model, tools.MustToolset(addTool())).Run(testContext(t), "go"); err != nil {
		t.Fatal(err)
	}
	msgs := model.Requests()[1].Messages
	if msgs[1].ToolCalls[0].ID != "call_1_1" || msgs[1].ToolCalls[1].ID != "call_1_2" ||
		msgs[2].ToolCallID != "call_1_1" || msgs[3].ToolCallID != "call_1_2" {
		t.Errorf("messages %+v", msgs)
	}
}

func TestAgentEdgeResults(t *testing.T) {
	empty := tools.MustNew("empty", "", func(context.Context, Nothing) (string, error) { return "", nil })
	model := llmtest.NewModel("gpt",
		llmtest.ToolCalls(toolCall("empty", `{}`)),
		llmtest.ToolCalls(toolCall("add", `{}`)),
		llmtest.Text("done"),
	)
	if _, err := tools.MustAgent(model, tools.MustToolset(empty)).Run(testContext(t), "go"); err != nil {
		t.Fatal(err)
	}
	reqs := model.Requests()
	if got := reqs[1].Messages[2].Text(); got != "(no output)" {
		t.Errorf("empty result sent as %q", got)
	}
	if got := reqs[2].Messages[4].Text(); got != `error: unknown tool "add"; the tools are: empty` {
		t.Errorf("unknown tool: %q", got)
	}
	// Without tools at all.
	model = llmtest.NewModel("gpt", llmtest.ToolCalls(toolCall("add", `{}`)), llmtest.Text("ok"))
	if _, err := tools.MustAgent(model, nil).Run(testContext(t), "go"); err != nil {
		t.Fatal(err)
	}
	if got := model.Requests()[1].Messages[2].Text(); got != `error: unknown tool "add"; there are no tools` {
		t.Errorf("no tools: %q", got)
	}
	if model.Requests()[0].Tools != nil {
		t.Error("tools sent by an agent that has none")
	}
}

func TestAgentModelError(t *testing.T) {
	model := llmtest.NewModel("gpt", llmtest.ToolCalls(toolCall("add", `{"a":1,"b":1}`)), llmtest.Error(llmtest.StatusError(503)))
	_, err := tools.MustAgent(model, tools.MustToolset(addTool())).Run(testContext(t), "go")
	if !errors.Is(err, llm.ErrServer) || !chain.IsRetryable(err) || !strings.Contains(err.Error(), "tools: agent: step 2: ") {
		t.Errorf("err = %v", err)
	}
	// A retrying agent is a chain like any other.
	model = llmtest.NewModel("gpt", llmtest.Error(llmtest.StatusError(429)), llmtest.Text("fine"))
	retry := chain.Retry(tools.MustAgent(model, nil), chain.Backoff(time.Millisecond, time.Millisecond))
	if got, err := retry.Run(testContext(t), "go"); err != nil || got != "fine" {
		t.Errorf("retried: %q, %v", got, err)
	}
}

func TestAgentCancelDuringModel(t *testing.T) {
	model := llmtest.NewModel("gpt", llmtest.Hang())
	ctx, cancel := context.WithCancel(testContext(t))
	done := make(chan error, 1)
	go func() {
		_, err := tools.MustAgent(model, nil).Run(ctx, "go")
		done <- err
	}()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	if _, err := tools.MustAgent(model, nil).Run(ctx, "again"); !errors.Is(err, context.Canceled) {
		t.Errorf("ended context: %v", err)
	}
}

func TestAgentApprover(t *testing.T) {
	ctx, cancel := context.WithCancel(testContext(t))
	stopping := func(context.Context, llm.ToolCall) error {
		cancel()
		return errors.New("stop")
	}
	model := llmtest.NewModel("gpt", llmtest.ToolCalls(toolCall("add", `{}`)))
	_, err := tools.MustAgent(model, tools.MustToolset(addTool()), tools.WithApprover(stopping)).Run(ctx, "go")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("an approver whose context ended: %v", err)
	}
	panicking := func(context.Context, llm.ToolCall) error { panic("approver bug") }
	model = llmtest.NewModel("gpt", llmtest.ToolCalls(toolCall("add", `{}`)))
	_, err = tools.MustAgent(model, tools.MustToolset(addTool()), tools.WithApprover(panicking)).Run(testContext(t), "go")
	if !errors.Is(err, chain.ErrPanic) {
		t.Errorf("a panicking approver: %v", err)
	}
}

func TestAgentSequential(t *testing.T) {
	var mu sync.Mutex
	var order []string
	rec := tools.MustNew("rec", "", func(_ context.Context, p Path) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		order = append(order, p.Path)
		return p.Path, nil
	})
	model := llmtest.NewModel("gpt",
		llmtest.ToolCalls(toolCall("rec", `{"path":"a"}`), toolCall("rec", `{"path":"b"}`), toolCall("rec", `{"path":"c"}`)),
		llmtest.Text("ok"))
	if _, err := tools.MustAgent(model, tools.MustToolset(rec), tools.WithConcurrency(1)).Run(testContext(t), "go"); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(order, []string{"a", "b", "c"}) {
		t.Errorf("order %v", order)
	}
}

func TestAgentHooks(t *testing.T) {
	var (
		mu     sync.Mutex
		starts []string
		ends   []string
		tokens int
	)
	hook := chain.HookFuncs{
		OnStart: func(_ context.Context, n chain.NodeInfo) {
			mu.Lock()
			defer mu.Unlock()
			starts = append(starts, n.Path+":"+string(n.Kind))
		},
		OnEnd: func(_ context.Context, n chain.NodeInfo, r chain.NodeResult) {
			mu.Lock()
			defer mu.Unlock()
			s := n.Path
			if r.Err != nil {
				s += " failed"
			}
			ends = append(ends, s)
		},
		OnEvent: func(_ context.Context, n chain.NodeInfo, e chain.Event) {
			mu.Lock()
			defer mu.Unlock()
			if e.Kind == chain.EventTokens && n.Path == "assistant" && e.Name == "llmtest:gpt" {
				tokens += e.InputTokens + e.OutputTokens
			}
		},
	}
	model := llmtest.NewModel("gpt",
		llmtest.ToolCalls(toolCall("add", `{"a":1,"b":1}`)).WithUsage(10, 2),
		llmtest.ToolCalls(toolCall("fail", `{}`)).WithUsage(20, 2),
		llmtest.Text("ok").WithUsage(30, 1))
	a := tools.MustAgent(model, tools.MustToolset(addTool(), failTool()), tools.WithName("assistant"))
	ctx := chain.WithHooks(testContext(t), hook)
	if _, err := chain.Then(a, chain.Pure(strings.ToUpper)).Run(ctx, "go"); err != nil {
		t.Fatal(err)
	}
	// The unnamed Then around the agent adds no node and no path segment.
	want := []string{"assistant:agent", "assistant/add:tool", "assistant/fail:tool"}
	if !slices.Equal(starts, want) {
		t.Errorf("starts %v, want %v", starts, want)
	}
	if want := []string{"assistant/add", "assistant/fail failed", "assistant"}; !slices.Equal(ends, want) {
		t.Errorf("ends %v, want %v", ends, want)
	}
	if tokens != 65 {
		t.Errorf("tokens %d, want 65", tokens)
	}
}

func TestAgentDescribe(t *testing.T) {
	model := llmtest.NewModel("gpt")
	a := tools.MustAgent(model, tools.MustToolset(addTool(), dynamic{"echo"}, sleepTool("slow", nil, tools.WithTimeout(10e9))),
		tools.WithReAct(), tools.WithTokenBudget(1000), tools.WithToolTimeout(2e9))
	n := chain.Describe(a)
	var children []string
	for _, c := range n.Children[1].Children {
		children = append(children, c.Name+"/"+string(c.Kind)+"/"+c.Detail)
	}
	if n.Kind != tools.KindAgent || n.Name != "agent" || n.Detail != "ReAct, max 10 steps, budget 1000 tokens" ||
		len(n.Children) != 2 || n.Children[0].Name != "llmtest:gpt" || n.Children[1].Kind != chain.KindParallel ||
		!slices.Equal(children, []string{"add/tool/timeout 2s", "echo/tool/timeout 2s", "slow/tool/timeout 10s"}) {
		t.Errorf("node %+v, tools %v", n, children)
	}
	if n := chain.Describe(tools.MustAgent(model, nil)); len(n.Children) != 1 {
		t.Errorf("an agent without tools: %+v", n)
	}
	if d := chain.Describe(a.FromMessages()); d.Kind != tools.KindAgent {
		t.Errorf("FromMessages node %+v", d)
	}
	conv := a.Conversation(memory.NewInProcess())
	if d := chain.Describe(conv); d.Kind != memory.KindMemory || d.Children[0].Kind != tools.KindAgent {
		t.Errorf("Conversation node %+v", d)
	}
	if a.Tools().Len() != 3 {
		t.Errorf("Tools %v", a.Tools().Names())
	}
	t.Log("\n" + chain.Mermaid(a))
}

func TestAgentConverse(t *testing.T) {
	model := llmtest.NewModel("gpt", llmtest.Text("Paris, still."))
	history := []llm.Message{llm.User("Capital of France?"), llm.Assistant("Paris."), llm.User("Still?")}
	keep := slices.Clone(history)
	ans, err := tools.MustAgent(model, nil).FromMessages().Run(testContext(t), history)
	if err != nil || ans.Text != "Paris, still." || len(ans.Messages) != 1 {
		t.Fatalf("Converse = %+v, %v", ans, err)
	}
	if diff := cmp.Diff(keep, history); diff != "" {
		t.Errorf("the input changed:\n%s", diff)
	}
	if diff := cmp.Diff(history, model.Requests()[0].Messages); diff != "" {
		t.Errorf("sent (-want +got):\n%s", diff)
	}
}

func TestNewAgentRefuses(t *testing.T) {
	var typedNil *llmtest.Model
	model := llmtest.NewModel("gpt")
	for _, tc := range []struct {
		name  string
		model llm.ChatModel
		opts  []tools.Option
	}{
		{"nil model", nil, nil},
		{"typed nil model", typedNil, nil},
		{"no steps", model, []tools.Option{tools.WithMaxSteps(0)}},
		{"negative budget", model, []tools.Option{tools.WithTokenBudget(-1)}},
		{"no concurrency", model, []tools.Option{tools.WithConcurrency(0)}},
		{"zero timeout", model, []tools.Option{tools.WithToolTimeout(0)}},
		{"nil approver", model, []tools.Option{tools.WithApprover(nil)}},
		{"empty name", model, []tools.Option{tools.WithName("")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tools.NewAgent(tc.model, nil, tc.opts...); !errors.Is(err, chain.ErrConfig) {
				t.Errorf("err = %v", err)
			}
		})
	}
	if _, err := tools.NewAgent(nil, nil); !errors.Is(err, llm.ErrNilModel) {
		t.Errorf("nil model: %v", err)
	}
	defer func() {
		if recover() == nil {
			t.Error("MustAgent did not panic")
		}
	}()
	tools.MustAgent(nil, nil)
}

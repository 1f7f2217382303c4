package tools_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/llmtest"
	"github.com/chorus-go/chorus/tools"
)

func TestErrors(t *testing.T) {
	reason := errors.New("needs a human")
	for _, tc := range []struct {
		err      error
		msg      string
		is       error
		unwrapTo error
	}{
		{&tools.ArgumentsError{Tool: "add", Err: reason}, "tools: add: invalid arguments: needs a human", tools.ErrInvalidArguments, reason},
		{&tools.TimeoutError{Tool: "add", After: time.Second}, "tools: add timed out after 1s", context.DeadlineExceeded, nil},
		{&tools.VetoError{Call: llm.ToolCall{Name: "rm"}, Reason: reason}, "tools: call of rm not approved: needs a human", tools.ErrVetoed, reason},
		{&tools.MaxStepsError{Steps: 3, Usage: llm.Usage{InputTokens: 10, OutputTokens: 2}}, "tools: no final answer after 3 steps (12 tokens)", tools.ErrMaxSteps, nil},
		{&tools.BudgetError{Budget: 10, Steps: 2, Used: llm.Usage{InputTokens: 10, OutputTokens: 2}}, "tools: 12 tokens used in 2 steps, over the budget of 10", tools.ErrTokenBudget, nil},
	} {
		if tc.err.Error() != tc.msg || !errors.Is(tc.err, tc.is) || errors.Unwrap(tc.err) != tc.unwrapTo {
			t.Errorf("%T: %q, Is %v: %v", tc.err, tc.err, tc.is, errors.Is(tc.err, tc.is))
		}
	}
}

func TestVetoEvent(t *testing.T) {
	model := llmtest.NewModel("gpt", llmtest.ToolCalls(toolCall("add", `{"a":1,"b":1}`)), llmtest.Text("ok"))
	a := tools.MustAgent(model, tools.MustToolset(addTool()), tools.WithApprover(func(context.Context, llm.ToolCall) error {
		return errors.New("no")
	}))
	history := []llm.Message{llm.User("1+1?")}
	events, err := collect(a.EventsFor(testContext(t), history))
	if err != nil {
		t.Fatal(err)
	}
	var ve *tools.VetoError
	if e := events[1]; e.Kind != tools.EventToolResult || !errors.As(e.Err, &ve) || ve.Call.Name != "add" || e.Result != "error: the call was not approved: no" {
		t.Errorf("event %+v", e)
	}
}

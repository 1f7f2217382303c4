package tools_test

import (
	"context"
	"testing"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/llmtest"
	"github.com/chorus-go/chorus/tools"
)

// benchModel asks for the add tool unless the conversation ends with a
// tool result, which it answers in text: one tool step, then the answer.
func benchModel() *llmtest.Model {
	call := llm.Response{Message: llm.Message{Role: llm.RoleAssistant, ToolCalls: []llm.ToolCall{
		{ID: "call_1", Name: "add", Arguments: []byte(`{"a":1,"b":2}`)},
	}}, Usage: llm.Usage{InputTokens: 20, OutputTokens: 10}}
	text := llm.Response{Message: llm.Assistant("3"), Usage: llm.Usage{InputTokens: 30, OutputTokens: 1}}
	return llmtest.NewModel("bench").Record(false).WithDefault(llmtest.Func(func(_ context.Context, req llm.Request) (llm.Response, error) {
		if req.Messages[len(req.Messages)-1].Role == llm.RoleTool {
			return text, nil
		}
		return call, nil
	}))
}

// BenchmarkModelCall is the baseline: two raw calls of the scripted model,
// the tool call and the answer, per op, with the tool's definition.
func BenchmarkModelCall(b *testing.B) {
	m := benchModel()
	ctx := context.Background()
	defs := []llm.Tool{addTool().Definition()} // the model checks them, as adapters do
	first := llm.Request{Messages: []llm.Message{llm.User("1+2?")}, Tools: defs}
	resp, _ := m.Chat(ctx, first)
	second := llm.Request{Messages: []llm.Message{llm.User("1+2?"), resp.Message, llm.ToolResult(resp.Message.ToolCalls[0], "3")}, Tools: defs}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Chat(ctx, first); err != nil {
			b.Fatal(err)
		}
		if _, err := m.Chat(ctx, second); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAgent runs the same two model calls through the agent loop,
// with the add tool run between them: the difference with
// BenchmarkModelCall is the loop's overhead for two steps (schema
// validation and decoding of the arguments, the tool, the messages, the
// hook node).
func BenchmarkAgent(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts []tools.Option
	}{
		{"native", nil},
		{"budget+approver+timeout", []tools.Option{
			tools.WithTokenBudget(1 << 30),
			tools.WithApprover(func(context.Context, llm.ToolCall) error { return nil }),
			tools.WithToolTimeout(1 << 40),
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			a := tools.MustAgent(benchModel(), tools.MustToolset(addTool()), bc.opts...)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				ans, err := a.Ask(ctx, "1+2?")
				if err != nil || ans.Steps != 2 {
					b.Fatal(ans, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(2*b.N), "ns/step")
		})
	}
}

// BenchmarkAgentEvents is BenchmarkAgent streaming its events.
func BenchmarkAgentEvents(b *testing.B) {
	a := tools.MustAgent(benchModel(), tools.MustToolset(addTool()))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		for _, err := range a.Events(ctx, "1+2?") {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkToolCall is one tool call from raw arguments: validation,
// decoding, the function and the encoding of its result.
func BenchmarkToolCall(b *testing.B) {
	add := addTool()
	ctx := context.Background()
	args := []byte(`{"a":1,"b":2}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := add.Call(ctx, args); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseReAct parses a typical action step.
func BenchmarkParseReAct(b *testing.B) {
	const reply = "Thought: I need to compute this.\nAction: calculator\nAction Input: {\"expression\": \"2 * (3 + 4)\"}\nObservation: 14"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tools.ParseReAct(reply); err != nil {
			b.Fatal(err)
		}
	}
}

package tools_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/llmtest"
	"github.com/chorus-go/chorus/memory"
	"github.com/chorus-go/chorus/tools"
)

// AddArgs are the arguments of the add tool. The schema the model sees is
// built from the struct.
type AddArgs struct {
	A float64 `json:"a" jsonschema_description:"The first number"`
	B float64 `json:"b" jsonschema_description:"The second number"`
}

func add(ctx context.Context, in AddArgs) (float64, error) { return in.A + in.B, nil }

// An agent with one tool, driven by a scripted model: the model asks for
// the tool, once with arguments that do not fit the schema, then gives
// its answer.
func Example() {
	model := llmtest.NewModel("gpt",
		llmtest.ToolCalls(llm.ToolCall{Name: "add", Arguments: json.RawMessage(`{"a": "two", "b": 40}`)}),
		llmtest.ToolCalls(llm.ToolCall{Name: "add", Arguments: json.RawMessage(`{"a": 2, "b": 40}`)}),
		llmtest.Text("2 + 40 = 42."),
	)
	agent := tools.MustAgent(model, tools.MustToolset(
		tools.MustNew("add", "Adds two numbers.", add),
	))

	ans, err := agent.Ask(context.Background(), "What is 2 + 40?")
	fmt.Println(ans.Text, err)
	fmt.Println(ans.Steps, "steps,", ans.ToolCalls, "tool calls")
	for _, m := range ans.Messages {
		if m.Role == llm.RoleTool {
			fmt.Printf("tool result: %s\n", m.Text())
		}
	}
	fmt.Print(chain.Mermaid(agent))
	// Output:
	// 2 + 40 = 42. <nil>
	// 3 steps, 2 tool calls
	// tool result: error: invalid arguments: the JSON does not match the schema:
	// - at '/a': got string, want number
	// tool result: 42
	// flowchart LR
	//   subgraph c1 ["agent (max 10 steps)"]
	//     n2["llmtest:gpt (model)"]
	//     n3[/"tools: parallel (limit 4)"/]
	//     n4(("gather"))
	//     n5["add (tool)"]
	//   end
	//   n3 --> n5
	//   n5 --> n4
	//   n2 --> n3
}

// The schema the model sees is built from the arguments' Go type, and the
// model's arguments are checked against it before the function runs.
func ExampleNew() {
	tool := tools.MustNew("add", "Adds two numbers.", add)
	fmt.Println(string(tool.Definition().Parameters))

	out, err := tool.Call(context.Background(), json.RawMessage(`{"a": 1.5, "b": 2}`))
	fmt.Println(out, err)
	_, err = tool.Call(context.Background(), json.RawMessage(`{"a": 1.5}`))
	fmt.Println(err)
	// Output:
	// {"properties":{"a":{"type":"number","description":"The first number"},"b":{"type":"number","description":"The second number"}},"additionalProperties":false,"type":"object","required":["a","b"]}
	// 3.5 <nil>
	// tools: add: invalid arguments: the JSON does not match the schema:
	// - at '': missing property 'b'
}

// Events streams a run: the model's text as it comes, the tool calls and
// their results, and the answer.
func ExampleAgent_Events() {
	model := llmtest.NewModel("gpt",
		llmtest.ToolCalls(llm.ToolCall{Name: "add", Arguments: json.RawMessage(`{"a": 2, "b": 40}`)}),
		llmtest.Text("It is 42."),
	)
	agent := tools.MustAgent(model, tools.MustToolset(tools.MustNew("add", "Adds two numbers.", add)))
	for e, err := range agent.Events(context.Background(), "What is 2 + 40?") {
		switch e.Kind {
		case tools.EventText:
			fmt.Printf("text %q\n", e.Text)
		case tools.EventToolCall:
			fmt.Printf("call %s %s\n", e.Call.Name, e.Call.Arguments)
		case tools.EventToolResult:
			fmt.Printf("result %s\n", e.Result)
		case tools.EventAnswer:
			fmt.Printf("answer %q after %d steps\n", e.Text, e.Answer.Steps)
		case tools.EventError:
			fmt.Println("error", err)
		}
	}
	// Output:
	// call add {"a": 2, "b": 40}
	// result 42
	// text "It "
	// text "is "
	// text "42."
	// answer "It is 42." after 2 steps
}

// A conversation remembered across runs by session ID: the second run
// sees the first one's question, tool call, result and answer.
func ExampleAgent_Conversation() {
	model := llmtest.NewModel("gpt",
		llmtest.ToolCalls(llm.ToolCall{Name: "add", Arguments: json.RawMessage(`{"a": 2, "b": 40}`)}),
		llmtest.Text("42."),
		llmtest.Text("You asked for 2 + 40."),
	)
	agent := tools.MustAgent(model, tools.MustToolset(tools.MustNew("add", "Adds two numbers.", add)))
	conv := agent.Conversation(memory.NewInProcess())

	ctx := context.Background()
	first, _ := conv.Run(ctx, tools.Turn{Session: "alice", Question: "What is 2 + 40?"})
	second, _ := conv.Run(ctx, tools.Turn{Session: "alice", Question: "What did I ask?"})
	fmt.Println(first.Text, second.Text)
	for _, m := range model.Requests()[2].Messages {
		fmt.Printf("%s %q %d\n", m.Role, m.Text(), len(m.ToolCalls))
	}
	// Output:
	// 42. You asked for 2 + 40.
	// user "What is 2 + 40?" 0
	// assistant "" 1
	// tool "42" 0
	// assistant "42." 0
	// user "What did I ask?" 0
}

// A model without native tool calling follows the ReAct text protocol;
// ParseReAct reads its replies.
func ExampleParseReAct() {
	step, err := tools.ParseReAct("Thought: I must add.\n**Action:** add\nAction Input: ```json\n{\"a\": 2, \"b\": 40}\n```\nObservation: 42")
	fmt.Printf("%q %q %v\n", step.Action, step.ActionInput, err)

	step, err = tools.ParseReAct("Thought: I know it.\nFinal Answer: 42")
	fmt.Printf("%v %q %v\n", step.Final, step.FinalAnswer, err)
	// Output:
	// "add" "{\"a\": 2, \"b\": 40}" <nil>
	// true "42" <nil>
}

package balance_test

import (
	"context"
	"fmt"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/balance"
	"github.com/chorus-go/chorus/llm/llmtest"
)

// Two replicas, one of them overloaded: the call fails over and is
// answered, and the graph shows the balancer over its replicas.
func Example() {
	busy := llmtest.NewModel("gpu-1").WithDefault(llmtest.Error(&llm.Error{Provider: "ollama", StatusCode: 503, Temporary: true}))
	ok := llmtest.NewModel("gpu-2").WithDefault(llmtest.Text("Paris"))
	b := balance.MustNew([]llm.ChatModel{busy, ok}, balance.WithRoundRobin())

	ctx := chain.WithHooks(context.Background(), chain.HookFuncs{OnEvent: func(_ context.Context, _ chain.NodeInfo, e chain.Event) {
		fmt.Println(e.Kind, e.Name)
	}})
	resp, err := llm.Chat(ctx, b, llm.Request{Messages: []llm.Message{llm.User("Capital of France?")}})
	fmt.Println(resp.Text(), err)
	fmt.Print(chain.Mermaid(b))
	// Output:
	// failover llmtest:gpu-1
	// tokens balance
	// Paris <nil>
	// flowchart LR
	//   n1{"balance: route (round robin)"}
	//   n2(("answer"))
	//   n3["llmtest:gpu-1 (model)"]
	//   n4["llmtest:gpu-2 (model)"]
	//   n1 --> n3
	//   n3 --> n2
	//   n1 --> n4
	//   n4 --> n2
}

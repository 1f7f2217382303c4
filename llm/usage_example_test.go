package llm_test

import (
	"context"
	"fmt"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/llmtest"
)

// Chat reports each call's token usage to the hooks once, named after the
// model; the adapter itself only puts it in the Response.
func ExampleChat() {
	model := llmtest.NewModel("gpt", llmtest.Text("Paris.").WithUsage(12, 2))
	ctx := chain.WithHooks(context.Background(), chain.HookFuncs{OnEvent: func(_ context.Context, _ chain.NodeInfo, e chain.Event) {
		if e.Kind == chain.EventTokens {
			fmt.Printf("%s: %d in, %d out\n", e.Name, e.InputTokens, e.OutputTokens)
		}
	}})
	resp, err := llm.Chat(ctx, model, llm.Request{Messages: []llm.Message{llm.User("Capital of France?")}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Text())
	// Output:
	// llmtest:gpt: 12 in, 2 out
	// Paris.
}

// ApproxTokens estimates tokens without a tokenizer; memory budgets and
// retrieval splitters measure with the same counters. A word counts one
// token per started five letters and a symbol one; a message adds
// llm.MessageOverheadTokens.
func ExampleApproxTokens() {
	c := llm.ApproxTokens()
	fmt.Println(c.CountTokens("Chorus composes models."))
	fmt.Println(llm.CountMessage(c, llm.User("Chorus composes models.")))
	fmt.Println(llm.CountMessage(llm.CharCounter(), llm.User("Chorus composes models.")))
	// Output:
	// 7
	// 11
	// 23
}

package llm_test

import (
	"context"
	"fmt"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/llmtest"
)

func ExampleFromChain() {
	// The model is overloaded once, then answers.
	model := llmtest.NewModel("gpt",
		llmtest.Error(llmtest.StatusError(503)),
		llmtest.Text("Paris."),
	)
	// Retry the model call alone; the result is a ChatModel again, for
	// anything that takes one (retrieval.RAG, tools.Agent, memory.Chat...).
	safe := llm.FromChain(chain.Retry(llm.ChatChain(model), chain.Backoff(time.Millisecond, 10*time.Millisecond)))

	answer, err := llm.Prompt(safe, "").Run(context.Background(), "Capital of France?")
	fmt.Println(answer, err, len(model.Requests()), "calls")
	fmt.Print(chain.Mermaid(safe))
	// Output:
	// Paris. <nil> 2 calls
	// flowchart LR
	//   subgraph c1 ["retry (3 attempts)"]
	//     n2["llmtest:gpt (model)"]
	//   end
}

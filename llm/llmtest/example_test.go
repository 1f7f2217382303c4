package llmtest_test

import (
	"context"
	"fmt"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/llmtest"
)

func ExampleModel() {
	m := llmtest.NewModel("gpt",
		llmtest.Text("Paris"),
		llmtest.Error(llmtest.StatusError(429)),
	).WithDefault(llmtest.Text("I don't know"))

	ctx := context.Background()
	for _, q := range []string{"Capital of France?", "Capital of Spain?", "Capital of Peru?"} {
		resp, err := m.Chat(ctx, llm.Request{Messages: []llm.Message{llm.User(q)}})
		fmt.Printf("%q %v\n", resp.Text(), err)
	}
	fmt.Println(len(m.Requests()), "requests")
	// Output:
	// "Paris" <nil>
	// "" llmtest: HTTP 429: Too Many Requests
	// "I don't know" <nil>
	// 3 requests
}

func ExampleEmbedder() {
	e := llmtest.NewEmbedder(32)
	v, _ := e.Embed(context.Background(), []string{"invoice total", "Invoice TOTAL!"})
	calls, texts := e.Calls()
	fmt.Println(len(v[0]), v[0][0] == v[1][0], calls, texts)
	// Output: 32 true 1 2
}

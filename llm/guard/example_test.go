package guard_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/guard"
)

// flaky stands in for a model server that is overloaded twice, then
// answers.
type flaky struct{ fails int }

func (f *flaky) Chat(_ context.Context, req llm.Request) (llm.Response, error) {
	if f.fails > 0 {
		f.fails--
		return llm.Response{}, &llm.Error{Provider: "demo", StatusCode: 503, Message: "overloaded", Temporary: true}
	}
	return llm.Response{Message: llm.Assistant("Invoice")}, nil
}

func (f *flaky) Describe() chain.Node { return chain.Node{Kind: chain.KindModel, Name: "demo:model"} }

func Example() {
	gpt, err := guard.New(&flaky{fails: 2},
		guard.WithName("gpt"),
		guard.WithRetry(3),
		guard.WithBackoff(time.Millisecond, 10*time.Millisecond),
		guard.WithTimeout(time.Minute),
		guard.WithBreaker(5, 30*time.Second),
		guard.WithCache(100),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := chain.WithHooks(context.Background(), chain.HookFuncs{OnEvent: func(_ context.Context, n chain.NodeInfo, e chain.Event) {
		if e.Kind != chain.EventTokens {
			fmt.Printf("%s: %s %d: %v\n", n.Path, e.Kind, e.Attempt, e.Err)
		}
	}})
	for range 2 {
		resp, err := llm.Chat(ctx, gpt, llm.Request{Messages: []llm.Message{llm.User("Classify: INVOICE No. 7")}})
		fmt.Println(resp.Text(), err)
	}
	fmt.Println(chain.Describe(gpt).Detail)
	// Output:
	// gpt: retry 1: demo: HTTP 503: overloaded
	// gpt: retry 2: demo: HTTP 503: overloaded
	// Invoice <nil>
	// gpt: cache 0: <nil>
	// Invoice <nil>
	// cache 100, breaker, retry 3, timeout 1m0s
}

func ExampleRateLimitError() {
	m := guard.MustNew(&flaky{}, guard.WithRateLimit(1, 0)) // one request a minute
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req := llm.Request{Messages: []llm.Message{llm.User("hi")}}
	_, err := m.Chat(ctx, req)
	fmt.Println(err)
	_, err = m.Chat(ctx, req) // the next slot is a minute away: fails at once
	fmt.Println(errors.Is(err, guard.ErrRateLimited))
	// Output:
	// <nil>
	// true
}

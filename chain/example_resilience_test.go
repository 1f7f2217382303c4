package chain_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/chorus-go/chorus/chain"
)

func ExampleRetry() {
	calls := 0
	busy := chain.Fn(func(ctx context.Context, q string) (string, error) {
		if calls++; calls < 3 {
			return "", chain.MarkRetryable(errors.New("503 busy"))
		}
		return "answer to " + q, nil
	})
	c := chain.Retry(busy, chain.Attempts(3), chain.Backoff(time.Millisecond, 10*time.Millisecond))
	out, err := c.Run(context.Background(), "q1")
	fmt.Println(out, err, calls)

	// When it gives up, the error says so and names the stage.
	down := chain.Named("gpt", chain.Retry(chain.Fn(func(ctx context.Context, q string) (string, error) {
		return "", chain.MarkRetryable(errors.New("503 busy"))
	}), chain.Attempts(2), chain.Backoff(time.Millisecond, time.Millisecond)))
	_, err = down.Run(context.Background(), "q2")
	fmt.Println(err)
	// Output:
	// answer to q1 <nil> 3
	// gpt: gave up after 2 attempts: 503 busy
}

func ExampleTimeout() {
	slow := chain.Fn(func(ctx context.Context, q string) (string, error) {
		<-ctx.Done() // a model that does not answer in time
		return "", ctx.Err()
	})
	c := chain.Named("classify", chain.Timeout(slow, 20*time.Millisecond))
	_, err := c.Run(context.Background(), "q")
	fmt.Println(err)
	fmt.Println(errors.Is(err, chain.ErrTimeout), errors.Is(err, context.DeadlineExceeded), chain.IsRetryable(err))
	// Output:
	// classify: timed out after 20ms
	// true true true
}

func ExampleFallback() {
	model := chain.Named("gpt", chain.Fn(func(ctx context.Context, text string) (string, error) {
		return "", errors.New("model down")
	}))
	rules := chain.Named("rules", chain.Pure(func(text string) string { return "letter" }))
	c := chain.Fallback(model, rules) // degrade to a rule when the model fails
	out, err := c.Run(context.Background(), "Dear Sir")
	fmt.Println(out, err)
	// Output: letter <nil>
}

func ExampleFallbackTrace() {
	model := chain.Named("gpt", chain.Fn(func(ctx context.Context, text string) (string, error) {
		return "", errors.New("model down")
	}))
	rules := chain.Named("rules", chain.Pure(func(text string) string { return "letter" }))
	a, err := chain.FallbackTrace(model, rules).Run(context.Background(), "Dear Sir")
	fmt.Println(a.Value, a.Index, a.Name, a.Errors, err)
	// Output: letter 1 rules [gpt: model down] <nil>
}

func ExampleBreaker() {
	model := chain.Fn(func(ctx context.Context, text string) (string, error) {
		return "", errors.New("model down")
	})
	b := chain.Breaker(model, chain.Threshold(2), chain.Cooldown(time.Minute))
	for range 2 {
		_, err := b.Run(context.Background(), "x")
		fmt.Println(err)
	}
	// Open now: calls fail fast without reaching the model.
	_, err := b.Run(context.Background(), "x")
	fmt.Println(b.State(), errors.Is(err, chain.ErrOpen))
	// Output:
	// model down
	// model down
	// open true
}

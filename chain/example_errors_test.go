package chain_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/chorus-go/chorus/chain"
)

// busyError is a server's "try again in 2s": retryable, with a wait.
type busyError struct{}

func (busyError) Error() string             { return "server busy" }
func (busyError) Retryable() bool           { return true }
func (busyError) RetryAfter() time.Duration { return 2 * time.Second }

func ExampleMarkRetryable() {
	err := chain.MarkRetryable(errors.New("connection reset"))
	fmt.Println(err, chain.IsRetryable(err))
	// Output: connection reset true
}

func ExampleIsRetryable() {
	wrapped := fmt.Errorf("ask model: %w", busyError{})
	fmt.Println(chain.IsRetryable(wrapped))
	fmt.Println(chain.IsRetryable(errors.New("invalid request")))
	fmt.Println(chain.IsRetryable(context.Canceled))
	// Output:
	// true
	// false
	// false
}

func ExampleRetryAfter() {
	d, ok := chain.RetryAfter(fmt.Errorf("ask model: %w", busyError{}))
	fmt.Println(d, ok)
	// Output: 2s true
}

// A chain reports its own events (here, tokens used) to the hooks of the
// named node it runs in.
func ExampleEmit() {
	model := chain.Named("model", chain.Fn(func(ctx context.Context, q string) (string, error) {
		chain.Emit(ctx, chain.Event{Kind: chain.EventTokens, InputTokens: 12, OutputTokens: 3})
		return "ok", nil
	}))
	ctx := chain.WithHooks(context.Background(), chain.HookFuncs{
		OnEvent: func(_ context.Context, n chain.NodeInfo, e chain.Event) {
			fmt.Printf("%s: %s in=%d out=%d\n", n.Path, e.Kind, e.InputTokens, e.OutputTokens)
		},
	})
	_, _ = model.Run(ctx, "hello")
	// Output: model: tokens in=12 out=3
}

func ExampleHasHooks() {
	ctx := context.Background()
	fmt.Println(chain.HasHooks(ctx))
	fmt.Println(chain.HasHooks(chain.WithHooks(ctx, chain.HookFuncs{})))
	// Output:
	// false
	// true
}

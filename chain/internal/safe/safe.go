// Package safe runs a chain with its panics turned into errors, for the
// Chorus packages that run chains on goroutines of their own (chain/eval,
// chain/rollout).
package safe

import (
	"context"
	"runtime/debug"

	"github.com/chorus-go/chorus/chain"
)

// Run calls c.Run, turning a panic into a *chain.PanicError.
func Run[In, Out any](ctx context.Context, c chain.Chain[In, Out], in In) (out Out, err error) {
	defer func() {
		if r := recover(); r != nil {
			var zero Out
			out, err = zero, &chain.PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	return c.Run(ctx, in)
}

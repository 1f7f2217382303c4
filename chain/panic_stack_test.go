package chain_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/chain"
)

// panicsHere is the function whose name every recovered stack must show.
func panicsHere(s string) string { panic("boom: " + s) }

// panicky is a chain written by hand, whose Run panics.
type panicky struct{}

func (panicky) Run(ctx context.Context, in string) (string, error) { return panicsHere(in), nil }

// recovering is a hand-written chain that recovers with chain.Recover.
type recovering struct{}

func (recovering) Run(ctx context.Context, in string) (out string, err error) {
	defer chain.Recover(&err)
	return panicsHere(in), nil
}

// TestPanicKeepsItsStack: wherever chain recovers a panic (Func.Run,
// Pure, SafeRun, Recover, and the combinators that recover their children's
// panics, Map and Settle), the
// *PanicError holds the value and the stack taken where the panic was
// recovered, which names the function that panicked.
func TestPanicKeepsItsStack(t *testing.T) {
	ctx := context.Background()
	fn := chain.Fn(func(ctx context.Context, in string) (string, error) { return panicsHere(in), nil })
	for _, tc := range []struct {
		name string
		run  func() error
	}{
		{"Func.Run", func() error { _, err := fn.Run(ctx, "x"); return err }},
		{"Pure", func() error { _, err := chain.Pure(panicsHere).Run(ctx, "x"); return err }},
		{"SafeRun", func() error { _, err := chain.SafeRun[string, string](ctx, panicky{}, "x"); return err }},
		{"Recover", func() error { _, err := recovering{}.Run(ctx, "x"); return err }},
		{"Map", func() error {
			_, err := chain.Map[string, string](panicky{}).Run(ctx, []string{"x", "y"})
			return err
		}},
		{"Settle", func() error {
			s, err := chain.Settle[string, string](panicky{}).Run(ctx, "x")
			if err != nil {
				return err
			}
			return s.Err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			var pe *chain.PanicError
			if !errors.As(err, &pe) || !errors.Is(err, chain.ErrPanic) {
				t.Fatalf("error %v, want a *PanicError", err)
			}
			if v, _ := pe.Value.(string); !strings.HasPrefix(v, "boom: ") {
				t.Errorf("value %v", pe.Value)
			}
			stack := string(pe.Stack)
			if !strings.HasPrefix(stack, "goroutine ") || !strings.Contains(stack, "chain_test.panicsHere") {
				t.Errorf("stack does not name the function that panicked:\n%s", stack)
			}
			if strings.Contains(err.Error(), "goroutine") {
				t.Errorf("the message holds the stack: %v", err)
			}
		})
	}
}

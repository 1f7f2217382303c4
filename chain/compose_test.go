package chain_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/chain"
)

// Wrap is transparent: the graph node is the inner chain's (Chain included,
// so walkers find a breaker's Check), and hooks see no node of its own.
func TestWrapIsTransparent(t *testing.T) {
	b := chain.Breaker(chain.Named("gpt", add(1)))
	w := chain.Wrap(chain.Chain[int, int](b), func(ctx context.Context, s string, inner chain.Chain[int, int]) (string, error) {
		n, err := inner.Run(ctx, len(s))
		return strings.Repeat("x", n), err
	})
	d := chain.Describe(w)
	if d.Kind != chain.KindBreaker || d.Chain != any(b) {
		t.Fatalf("Describe(Wrap) = %+v, want the breaker's node", d)
	}
	if _, ok := d.Chain.(interface{ Check(context.Context) error }); !ok {
		t.Fatal("the node's Chain lost the breaker's Check")
	}
	rec := &recorder{}
	ctx := chain.WithHooks(context.Background(), rec.hook())
	out, err := chain.Named("stage", w).Run(ctx, "ab")
	if out != "xxx" || err != nil {
		t.Fatalf("Run = %q, %v", out, err)
	}
	if got := strings.Join(rec.starts, ","); got != "stage,stage/gpt" {
		t.Fatalf("starts %s, want stage,stage/gpt", got)
	}
}

func TestWrapPanicsBecomeErrors(t *testing.T) {
	w := chain.Wrap(add(1), func(ctx context.Context, in int, inner chain.Chain[int, int]) (int, error) {
		panic("boom")
	})
	_, err := w.Run(context.Background(), 1)
	var pe *chain.PanicError
	if !errors.As(err, &pe) || pe.Value != "boom" {
		t.Fatalf("err = %v, want a *PanicError", err)
	}
	mustPanicConfig(t, "Wrap nil chain", func() {
		chain.Wrap[int, int](chain.Chain[int, int](nil), func(context.Context, int, chain.Chain[int, int]) (int, error) { return 0, nil })
	})
	mustPanicConfig(t, "Wrap nil run", func() { chain.Wrap[int, int](add(1), nil) })
	mustPanicConfig(t, "Settle nil", func() { chain.Settle(chain.Chain[int, int](nil)) })
	mustPanicConfig(t, "Step nil get", func() { chain.Step[int](add(1), nil, func(s, _ int) int { return s }) })
	mustPanicConfig(t, "Winner nil", func() { chain.Winner(chain.Chain[int, chain.Verdict[int]](nil)) })
}

func TestSettle(t *testing.T) {
	s := chain.Settle(chain.Named("extract", fail[int](errDown)))
	got, err := s.Run(context.Background(), 1)
	if err != nil || !errors.Is(got.Err, errDown) || got.Err.Error() != "extract: model down" {
		t.Fatalf("settled %+v, %v", got, err)
	}
	if got, err := chain.Settle(add(1)).Run(context.Background(), 1); err != nil || got.Value != 2 || got.Err != nil {
		t.Fatalf("success settled as %+v, %v", got, err)
	}
	panicky := chain.Settle(chain.Pure(func(xs []int) int { return xs[1] }))
	if got, err := panicky.Run(context.Background(), nil); err != nil || !errors.Is(got.Err, chain.ErrPanic) {
		t.Fatalf("panic settled as %+v, %v", got, err)
	}
	if d := chain.Describe(s); d.Name != "extract" {
		t.Fatalf("Describe(Settle) named %q", d.Name)
	}
	// The caller's own cancellation stops the pipeline.
	started := make(chan struct{}, 1)
	c := chain.Settle(block[int](started))
	cancelAfterStart(t, func(ctx context.Context) (chain.Settled[int], error) { return c.Run(ctx, 1) }, started, 1)
}

func TestStep(t *testing.T) {
	type st struct{ In, Out int }
	get := func(s st) int { return s.In }
	set := func(s st, v int) st { s.Out = v; return s }
	out, err := chain.Step(add(10), get, set).Run(context.Background(), st{In: 1})
	if err != nil || out != (st{In: 1, Out: 11}) {
		t.Fatalf("Step = %+v, %v", out, err)
	}
	out, err = chain.Step(chain.Named("calc", fail[int](errDown)), get, set).Run(context.Background(), st{In: 1})
	if !errors.Is(err, errDown) || out != (st{}) {
		t.Fatalf("failed Step = %+v, %v", out, err)
	}
	if d := chain.Describe(chain.Step(chain.Named("calc", add(1)), get, set)); d.Name != "calc" {
		t.Fatalf("Describe(Step) named %q", d.Name)
	}
}

func TestSafeRunAndRecover(t *testing.T) {
	out, err := chain.SafeRun[string, int](context.Background(), panicker{}, "k")
	var pe *chain.PanicError
	if out != 0 || !errors.As(err, &pe) || len(pe.Stack) == 0 {
		t.Fatalf("SafeRun = %d, %v", out, err)
	}
	// Recover keeps the error of a function that did not panic.
	f := func() (err error) {
		defer chain.Recover(&err)
		return errDown
	}
	if err := f(); err != errDown {
		t.Fatalf("Recover replaced %v", err)
	}
}

// panicker is a chain that panics, without a recover of its own.
type panicker struct{}

func (panicker) Run(ctx context.Context, k string) (int, error) {
	var nilMap map[string]int
	nilMap[k] = 1
	return 0, nil
}

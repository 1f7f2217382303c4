package chain_test

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/chorus-go/chorus/chain"
)

func TestThenTypes(t *testing.T) {
	toString := chain.Pure(strconv.Itoa)
	length := chain.Pure(func(s string) int { return len(s) })
	c := chain.Then3(add(1000), toString, length)
	got, err := c.Run(context.Background(), 5)
	if err != nil || got != 4 {
		t.Fatalf("got %v, %v; want 4, nil", got, err)
	}
	c4 := chain.Then4(add(1), add(2), toString, length)
	if got, _ := c4.Run(context.Background(), 7); got != 2 {
		t.Fatalf("Then4 = %d, want 2", got)
	}
}

func TestThenStopsOnError(t *testing.T) {
	boom := errors.New("boom")
	called := false
	second := chain.Fn(func(ctx context.Context, x int) (int, error) { called = true; return x, nil })
	_, err := chain.Then(fail[int](boom), second).Run(context.Background(), 1)
	if !errors.Is(err, boom) || called {
		t.Fatalf("err = %v, second called = %v", err, called)
	}
}

func TestPipe(t *testing.T) {
	got, err := chain.Pipe(add(1), add(2), add(3)).Run(context.Background(), 0)
	if err != nil || got != 6 {
		t.Fatalf("got %d, %v", got, err)
	}
	boom := errors.New("boom")
	if _, err := chain.Pipe(add(1), fail[int](boom), add(3)).Run(context.Background(), 0); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
}

func TestSequenceCancel(t *testing.T) {
	started := make(chan struct{}, 1)
	c := chain.Then(add(1), block[int](started))
	cancelAfterStart(t, func(ctx context.Context) (int, error) { return c.Run(ctx, 1) }, started, 1)
	p := chain.Pipe(add(1), block[int](started), add(1))
	cancelAfterStart(t, func(ctx context.Context) (int, error) { return p.Run(ctx, 1) }, started, 1)
}

func TestPanicBecomesError(t *testing.T) {
	c := chain.Then(add(1), chain.Fn(func(ctx context.Context, x int) (int, error) {
		var m map[string]int
		m["x"] = x // nil map write panics
		return 0, nil
	}))
	_, err := c.Run(context.Background(), 1)
	var pe *chain.PanicError
	if !errors.As(err, &pe) || !errors.Is(err, chain.ErrPanic) || len(pe.Stack) == 0 {
		t.Fatalf("err = %v, want *PanicError with stack", err)
	}
	p := chain.Pure(func(x int) int { panic("pure") })
	if _, err := p.Run(context.Background(), 1); !errors.Is(err, chain.ErrPanic) {
		t.Fatalf("Pure err = %v", err)
	}
}

func TestIdentity(t *testing.T) {
	got, err := chain.Identity[string]().Run(context.Background(), "x")
	if got != "x" || err != nil {
		t.Fatal(got, err)
	}
}

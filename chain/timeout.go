package chain

import (
	"context"
	"time"
)

// Timeout bounds each call of c to d. When d passes first, the call's
// context is cancelled and Timeout returns a *TimeoutError (ErrTimeout,
// context.DeadlineExceeded, retryable), so a Retry around it tries again.
// c must honour its context, as every Chain must; a chain that ignores it
// holds the call until it returns. It panics if d <= 0.
func Timeout[I, O any](c Chain[I, O], d time.Duration) Chain[I, O] {
	if isNil(c) {
		panic(configError("Timeout", "nil chain"))
	}
	if d <= 0 {
		panic(configError("Timeout", "duration must be positive, got %v", d))
	}
	return &timeout[I, O]{meta: newMeta(KindTimeout), c: c, d: d}
}

type timeout[I, O any] struct {
	meta
	c Chain[I, O]
	d time.Duration
}

// errOwnDeadline is the cause a Timeout sets on its own deadline, to tell
// it apart from the caller's.
type errOwnDeadline struct{}

func (errOwnDeadline) Error() string { return "chain: timeout" }

func (t *timeout[I, O]) Run(ctx context.Context, in I) (O, error) {
	return observe(ctx, &t.meta, in, t.run)
}

func (t *timeout[I, O]) run(ctx context.Context, in I) (O, error) {
	tctx, cancel := context.WithTimeoutCause(ctx, t.d, errOwnDeadline{})
	defer cancel()
	out, err := t.c.Run(tctx, in)
	if err != nil && ctx.Err() == nil && context.Cause(tctx) == (errOwnDeadline{}) {
		var zero O
		return zero, &TimeoutError{Node: t.info.Name, After: t.d}
	}
	return out, err
}

func (t *timeout[I, O]) Describe() Node {
	return Node{Kind: KindTimeout, Name: t.nodeName(), Detail: t.d.String(), Children: []Node{Describe(t.c)}, Chain: t}
}

func (t *timeout[I, O]) rename(name string) any {
	c := *t
	c.meta = c.meta.renamed(name)
	return &c
}

package chain

import "context"

// Wrap makes a chain of run around inner, for adapters that convert types
// or add behaviour around a chain without adding a node to the graph: run
// receives each call's input and inner, and decides how to call it.
//
// The wrapper is transparent: Describe returns inner's node (Node.Chain
// stays inner, so graph walkers still find, say, a breaker's Check), and it
// reports nothing to hooks and adds no segment to their paths. Name it
// with Named to make it a stage. A panic in run becomes a *PanicError.
// Wrap panics with a *ConfigError if inner or run is nil.
func Wrap[I, O, A, B any](inner Chain[A, B], run func(ctx context.Context, in I, inner Chain[A, B]) (O, error)) Chain[I, O] {
	if isNil(inner) {
		panic(configError("Wrap", "nil chain"))
	}
	if run == nil {
		panic(configError("Wrap", "nil function"))
	}
	return &wrapper[I, O, A, B]{inner: inner, run: run}
}

type wrapper[I, O, A, B any] struct {
	inner Chain[A, B]
	run   func(ctx context.Context, in I, inner Chain[A, B]) (O, error)
}

func (w *wrapper[I, O, A, B]) Run(ctx context.Context, in I) (out O, err error) {
	defer Recover(&err)
	return w.run(ctx, in, w.inner)
}

// Describe returns the inner chain's node.
func (w *wrapper[I, O, A, B]) Describe() Node { return Describe(w.inner) }

// Step runs c on the part of a state that get picks and puts the result
// back with set: a stage of a pipeline that threads one state value
// through every step, each step reading and filling its own fields.
//
//	type doc struct{ Text, Label string }
//	classify := chain.Step(classifier,
//		func(d doc) string { return d.Text },
//		func(d doc, label string) doc { d.Label = label; return d })
//
// On an error it returns the zero state and c's error. Like Wrap, it is
// transparent in the graph (the node of c). Step panics with a
// *ConfigError if c, get or set is nil.
func Step[S, A, B any](c Chain[A, B], get func(S) A, set func(S, B) S) Chain[S, S] {
	if get == nil || set == nil {
		panic(configError("Step", "nil get or set function"))
	}
	if isNil(c) {
		panic(configError("Step", "nil chain"))
	}
	return Wrap(c, func(ctx context.Context, s S, c Chain[A, B]) (S, error) {
		b, err := c.Run(ctx, get(s))
		if err != nil {
			var zero S
			return zero, err
		}
		return set(s, b), nil
	})
}

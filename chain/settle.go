package chain

import "context"

// Settled is the outcome of one call turned into a value: the output, or
// the error. Settle and ParallelAll return it.
type Settled[O any] struct {
	Value O
	Err   error
}

// Settle turns c's failure into a value, so a pipeline can go on past it
// (record "extraction failed" and continue with the next stage): the call
// returns a Settled holding c's output or c's error, and a nil error. The
// caller's own context ending is still returned as an error, so a cancelled
// pipeline stops. A panic in c is settled as a *PanicError. Like Wrap, it
// is transparent in the graph (the node of c). Settle panics with a
// *ConfigError if c is nil.
func Settle[I, O any](c Chain[I, O]) Chain[I, Settled[O]] {
	if isNil(c) {
		panic(configError("Settle", "nil chain"))
	}
	return Wrap(c, func(ctx context.Context, in I, c Chain[I, O]) (Settled[O], error) {
		out, err := SafeRun(ctx, c, in)
		if err != nil && ctx.Err() != nil {
			return Settled[O]{}, err
		}
		return Settled[O]{Value: out, Err: err}, nil
	})
}

package chain

import "context"

// SafeRun runs c and turns a panic into a *PanicError (ErrPanic), so that
// a chain run on a goroutine of its own, where an unrecovered panic would
// crash the program, fails like any other. On a panic the output is the
// zero value. Combinators use it for every child they run.
func SafeRun[I, O any](ctx context.Context, c Chain[I, O], in I) (out O, err error) {
	defer Recover(&err)
	return c.Run(ctx, in)
}

// Recover turns a panic into a *PanicError stored in *errp. Defer it
// directly, in a function with a named error result:
//
//	func (m *Model) Run(ctx context.Context, in string) (out string, err error) {
//		defer chain.Recover(&err)
//		...
//	}
//
// It must be the deferred function itself (not called from another deferred
// function), as recover requires. The function's other results keep what
// they held when it panicked: zero values unless it had assigned them.
func Recover(errp *error) {
	if r := recover(); r != nil {
		*errp = newPanicError(r)
	}
}

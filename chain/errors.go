package chain

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"time"
)

// Sentinel errors, for errors.Is. The typed errors below match them.
var (
	// ErrPanic matches a *PanicError: a user function or chain panicked.
	ErrPanic = errors.New("chain: panic")
	// ErrTimeout matches a *TimeoutError returned by a Timeout chain.
	ErrTimeout = errors.New("chain: timeout")
	// ErrOpen matches an *OpenError: a circuit breaker refused the call.
	ErrOpen = errors.New("chain: circuit open")
	// ErrUnknownRoute matches an *UnknownRouteError.
	ErrUnknownRoute = errors.New("chain: unknown route")
	// ErrNoQuorum matches a *QuorumError: too few vote members answered.
	ErrNoQuorum = errors.New("chain: no quorum")
	// ErrBatchSize is returned to every caller of a batch when the batched
	// call returned a different number of results than it was given items.
	ErrBatchSize = errors.New("chain: batch returned wrong number of results")
	// ErrConfig matches every configuration error: the *ConfigError that
	// this package's combinators panic with on invalid arguments (nil
	// chains, empty lists, bad limits or weights), and the errors that the
	// constructors of every other Chorus package return (NewX) or panic with
	// (MustX and combinators). Build turns such a panic into an error.
	ErrConfig = errors.New("chain: invalid configuration")
)

// PanicError is a recovered panic. Value is what was passed to panic and
// Stack the panicking goroutine's stack, taken (by runtime/debug.Stack)
// where the panic was recovered, so it names the function that panicked.
// Every place in Chorus that recovers a panic fills both. The stack is for
// logs (chain/serve logs it): Error leaves it out, so a message shown to a
// client does not carry it.
type PanicError struct {
	Value any
	Stack []byte
}

func newPanicError(v any) *PanicError { return &PanicError{Value: v, Stack: debug.Stack()} }

// Error reports the panic value.
func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// Is reports whether target is ErrPanic.
func (e *PanicError) Is(target error) bool { return target == ErrPanic }

// Unwrap returns the panic value when it is an error.
func (e *PanicError) Unwrap() error {
	if err, ok := e.Value.(error); ok {
		return err
	}
	return nil
}

// StageError is the failure of a named stage: Named, and every combinator
// given a name, returns its chain's error wrapped in one, so the message
// says which stage failed ("classify: timed out after 2s") and a caller can
// find the stage with errors.As. Nested named stages give a path
// ("analyse: classify: ..."). Unwrap returns the cause, so errors.Is finds
// a sentinel or context.Canceled through it.
type StageError struct {
	Stage string
	Err   error
}

// Error is the stage's name, a colon and the cause.
func (e *StageError) Error() string { return e.Stage + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *StageError) Unwrap() error { return e.Err }

// nameErr returns err's message, prefixed by name unless name is empty or
// err is already the *StageError of that name.
func nameErr(name string, err error) string {
	if se, ok := err.(*StageError); name == "" || ok && se.Stage == name {
		return err.Error()
	}
	return name + ": " + err.Error()
}

// TimeoutError is returned by a Timeout chain whose own deadline passed.
// It matches ErrTimeout and context.DeadlineExceeded, and is retryable.
// Node is the Timeout's name, if it was given one (the *StageError around
// the error then carries it too).
type TimeoutError struct {
	Node  string
	After time.Duration
}

// Error says after how long the call timed out.
func (e *TimeoutError) Error() string {
	return fmt.Sprintf("timed out after %v", e.After)
}

// Is reports whether target is ErrTimeout or context.DeadlineExceeded.
func (e *TimeoutError) Is(target error) bool {
	return target == ErrTimeout || target == context.DeadlineExceeded
}

// Retryable reports true: another attempt may be faster.
func (e *TimeoutError) Retryable() bool { return true }

// OpenError is returned by a circuit breaker that refuses a call. Until is
// when the breaker will next let a probe through; Cause is the last failure
// that kept it open, if known. Node is the breaker's name, if it was given
// one.
type OpenError struct {
	Node  string
	Until time.Time
	Cause error
}

// Error says until when the breaker is open, and why.
func (e *OpenError) Error() string {
	s := fmt.Sprintf("circuit open until %s", e.Until.Format(time.RFC3339Nano))
	if e.Cause != nil {
		s += ": " + e.Cause.Error()
	}
	return s
}

// Is reports whether target is ErrOpen.
func (e *OpenError) Is(target error) bool { return target == ErrOpen }

// Unwrap returns the cause.
func (e *OpenError) Unwrap() error { return e.Cause }

// RetryAfter tells Retry to wait until the breaker may let a probe through.
func (e *OpenError) RetryAfter() time.Duration { return time.Until(e.Until) }

// UnknownRouteError is returned by Route when the router picked a key that
// has no route and there is no default. Node is the Route's name, if it
// was given one.
type UnknownRouteError struct {
	Node  string
	Key   any
	Known []string
}

// Error names the key and the known keys.
func (e *UnknownRouteError) Error() string {
	return fmt.Sprintf("unknown route %v (known: %s)", e.Key, strings.Join(e.Known, ", "))
}

// Is reports whether target is ErrUnknownRoute.
func (e *UnknownRouteError) Is(target error) bool { return target == ErrUnknownRoute }

// BranchError wraps the error of one branch of a Parallel or Join chain.
// Name is the branch's name, empty when it has none but its kind.
type BranchError struct {
	Index int
	Name  string
	Err   error
}

// Error names the failed branch.
func (e *BranchError) Error() string {
	return fmt.Sprintf("branch %d: %s", e.Index, nameErr(e.Name, e.Err))
}

// Unwrap returns the branch's error.
func (e *BranchError) Unwrap() error { return e.Err }

// ItemError wraps the error of one element of a Map chain.
type ItemError struct {
	Index int
	Err   error
}

// Error names the failed element.
func (e *ItemError) Error() string { return fmt.Sprintf("item %d: %v", e.Index, e.Err) }

// Unwrap returns the element's error.
func (e *ItemError) Unwrap() error { return e.Err }

// FallbackError is returned when every alternative of a Fallback failed.
// Errs holds each alternative's error, in order. Node is the Fallback's
// name, if it was given one.
type FallbackError struct {
	Node string
	Errs []error
}

// Error lists every alternative's error, by name when the alternative has
// one and else by its index (#0 is the primary).
func (e *FallbackError) Error() string {
	parts := make([]string, len(e.Errs))
	for i, err := range e.Errs {
		if _, ok := err.(*StageError); ok {
			parts[i] = err.Error()
		} else {
			parts[i] = fmt.Sprintf("#%d: %v", i, err)
		}
	}
	return fmt.Sprintf("all %d alternatives failed: %s", len(e.Errs), strings.Join(parts, "; "))
}

// Unwrap returns every alternative's error, for errors.Is and errors.As.
func (e *FallbackError) Unwrap() []error { return e.Errs }

// RetryError is returned by Retry when it gives up. Err is the last
// attempt's error. Node is the Retry's name, if it was given one.
type RetryError struct {
	Node     string
	Attempts int
	Err      error
}

// Error says how many attempts were made and the last error.
func (e *RetryError) Error() string {
	return fmt.Sprintf("gave up after %d attempts: %v", e.Attempts, e.Err)
}

// Unwrap returns the last attempt's error.
func (e *RetryError) Unwrap() error { return e.Err }

// ConfigError is the value constructors panic with when given invalid
// arguments. Like regexp.MustCompile, this happens while the chain is being
// built, never during a later call.
type ConfigError struct {
	Func   string
	Reason string
}

// Error names the constructor and what was wrong.
func (e *ConfigError) Error() string { return fmt.Sprintf("chain.%s: %s", e.Func, e.Reason) }

// Is reports whether target is ErrConfig.
func (e *ConfigError) Is(target error) bool { return target == ErrConfig }

func configError(fn, format string, args ...any) *ConfigError {
	return &ConfigError{Func: fn, Reason: fmt.Sprintf(format, args...)}
}

// Build runs a function that constructs a chain and returns the
// configuration error it panicked with, if any, as an error: a *ConfigError
// from this package, or any error from another package that matches
// ErrConfig (every Chorus package's configuration errors do). Other panics
// are not configuration errors and are re-raised. Use it when the arguments
// come from configuration rather than code:
//
//	c, err := chain.Build(func() chain.Chain[string, chain.Verdict[string]] {
//		return chain.Vote(chain.Weighted[string](), members, chain.Quorum(cfg.Quorum))
//	})
func Build[T any](construct func() T) (c T, err error) {
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(error)
			if !ok || !errors.Is(e, ErrConfig) {
				panic(r)
			}
			err = e
		}
	}()
	return construct(), nil
}

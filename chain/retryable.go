package chain

import (
	"context"
	"errors"
	"time"
)

// RetryableError is implemented by errors that know whether the failed
// operation may succeed if tried again, such as a model error for HTTP 429
// or 503. IsRetryable, which Retry uses by default, finds it through
// errors.As, so it may sit anywhere in an error's chain. A Breaker counts
// retryable errors as the dependency's faults and, by default, not those
// that say a retry would not help (see IsFault); a Fallback tries its
// next alternative whatever the error.
type RetryableError interface {
	error
	Retryable() bool
}

// RetryAfterError is implemented by errors that carry a server's advice on
// how long to wait before trying again (HTTP Retry-After). Retry waits at
// least that long before the next attempt.
type RetryAfterError interface {
	error
	RetryAfter() time.Duration
}

// IsRetryable reports whether err is worth retrying: some error in its
// chain implements RetryableError and says so. Context cancellation, a
// panic and a nil error are never retryable.
func IsRetryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, ErrPanic) {
		return false
	}
	var r RetryableError
	return errors.As(err, &r) && r.Retryable()
}

// RetryAfter returns the wait a server asked for, found anywhere in err's
// chain, and whether there was one.
func RetryAfter(err error) (time.Duration, bool) {
	var r RetryAfterError
	if errors.As(err, &r) {
		if d := r.RetryAfter(); d > 0 {
			return d, true
		}
	}
	return 0, false
}

// MarkRetryable wraps err so that IsRetryable reports true for it. Use it
// in plain functions whose failures are transient.
func MarkRetryable(err error) error {
	if err == nil {
		return nil
	}
	return &retryable{err}
}

type retryable struct{ err error }

func (r *retryable) Error() string   { return r.err.Error() }
func (r *retryable) Unwrap() error   { return r.err }
func (r *retryable) Retryable() bool { return true }

package guard

import (
	"errors"
	"fmt"
	"time"

	"github.com/chorus-go/chorus/chain"
)

// Sentinel errors, for errors.Is.
var (
	// ErrRateLimited matches a *RateLimitError: the client-side rate limit
	// (WithRateLimit) would have made the call wait past the caller's deadline.
	ErrRateLimited = errors.New("guard: rate limited")
	// ErrPastDeadline matches a *WaitError: the wait before the next retry
	// would have ended past the caller's deadline.
	ErrPastDeadline = errors.New("guard: wait would pass the deadline")
)

// RateLimitError is returned when a call would have to wait Wait for a
// slot of the client-side rate limit but the caller's deadline is only
// Left away: the call fails at once instead of waiting in vain. It is not
// retryable (the deadline is the caller's) and matches ErrRateLimited.
type RateLimitError struct {
	Model string
	Wait  time.Duration
	Left  time.Duration
}

// Error says how long the call would have waited.
func (e *RateLimitError) Error() string {
	return fmt.Sprintf("%s: rate limit: a slot is %v away, the deadline %v", e.Model, e.Wait.Round(time.Millisecond), e.Left.Round(time.Millisecond))
}

// Is reports whether target is ErrRateLimited.
func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }

// Retryable reports false: waiting is what the caller's deadline forbids.
func (e *RateLimitError) Retryable() bool { return false }

// WaitError is returned when a retry would have to wait past the caller's
// deadline: Wait is the wait the retry would have made (ServerWait capped
// by WithMaxRetryAfter, or the backoff), ServerWait the server's Retry-After
// (zero if it sent none), Left the time to the deadline and Err the
// failure that would have been retried. It matches ErrPastDeadline and,
// through Err, whatever the failure matches (llm.ErrRateLimited for a
// 429). It is not retryable and its RetryAfter is the server's wait, so a
// caller further up can tell how long the server asked for.
type WaitError struct {
	Model      string
	Attempts   int
	Wait       time.Duration
	ServerWait time.Duration
	Left       time.Duration
	Err        error
}

// Error says how long the server asked to wait, and what failed.
func (e *WaitError) Error() string {
	s := fmt.Sprintf("gave up after %d attempts: the next would wait %v", e.Attempts, e.Wait.Round(time.Millisecond))
	if e.ServerWait > 0 {
		s += fmt.Sprintf(" (server asked for %v)", e.ServerWait.Round(time.Millisecond))
	}
	return s + fmt.Sprintf(", past the deadline %v away: %v", e.Left.Round(time.Millisecond), e.Err)
}

// Is reports whether target is ErrPastDeadline.
func (e *WaitError) Is(target error) bool { return target == ErrPastDeadline }

// Unwrap returns the failure that would have been retried.
func (e *WaitError) Unwrap() error { return e.Err }

// Retryable reports false: the caller's deadline leaves no time.
func (e *WaitError) Retryable() bool { return false }

// RetryAfter returns the server's wait.
func (e *WaitError) RetryAfter() time.Duration { return e.ServerWait }

// configError is a constructor's error; it matches chain.ErrConfig.
type configError struct {
	fn  string
	err error
}

func (e *configError) Error() string        { return "guard." + e.fn + ": " + e.err.Error() }
func (e *configError) Unwrap() error        { return e.err }
func (e *configError) Is(target error) bool { return target == chain.ErrConfig }

func configErr(fn, format string, args ...any) error {
	return &configError{fn, fmt.Errorf(format, args...)}
}

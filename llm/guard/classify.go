package guard

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// Retryable is the default classification of failures worth retrying:
// those chain.IsRetryable finds retryable (a provider's *llm.Error marked
// Temporary: 408, 409, 425, 429, 5xx but 501, dropped connections; a
// *chain.TimeoutError), and an answer whose body could not be read as
// JSON (a garbled 200 from a proxy). The caller's cancellation, a panic
// and this package's own RateLimitError and WaitError are never retried.
func Retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, chain.ErrPanic) {
		return false
	}
	if chain.IsRetryable(err) {
		return true
	}
	if errors.Is(err, ErrRateLimited) || errors.Is(err, ErrPastDeadline) {
		return false
	}
	var syntax *json.SyntaxError
	return errors.As(err, &syntax)
}

// IsFault reports whether err is a fault of the model's server, the
// failures that trip a Breaker: a retryable failure (Retryable), a
// timeout, an HTTP 5xx, a server's 429. The caller's own mistakes (an
// invalid request, a 400, 401, 404 or 422) and the caller's cancellation
// or deadline are not, nor is the client-side rate limit refusing a call.
func IsFault(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, ErrRateLimited) {
		return false
	}
	if errors.Is(err, chain.ErrTimeout) || errors.Is(err, llm.ErrServer) || errors.Is(err, llm.ErrRateLimited) {
		return true
	}
	var le *llm.Error
	if errors.As(err, &le) {
		return le.Temporary
	}
	return Retryable(err)
}

// isNil reports whether v is nil or a typed nil pointer in an interface.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Func, reflect.Interface, reflect.Chan:
		return rv.IsNil()
	}
	return false
}

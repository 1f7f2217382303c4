package llm

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/chorus-go/chorus/chain/schema"
)

// Sentinel errors, for errors.Is.
var (
	// ErrNoMessages: a request had no messages.
	ErrNoMessages = errors.New("llm: no messages")
	// ErrUnknownRole: a message had a role other than system, user,
	// assistant or tool.
	ErrUnknownRole = errors.New("llm: unknown role")
	// ErrUnsupportedImage: an image of a type models do not take.
	ErrUnsupportedImage = errors.New("llm: unsupported image")
	// ErrInvalidRequest: a request that cannot be sent as it is. It is
	// the caller's fault (chain.InputError): a chain.Breaker does not
	// count it and chain/serve answers it with 400.
	ErrInvalidRequest error = invalidInput("llm: invalid request")
	// ErrNilModel: a constructor was given a nil model.
	ErrNilModel = errors.New("llm: nil model")
	// ErrIncompleteStream: a stream ended before the model said it was done.
	ErrIncompleteStream = errors.New("llm: stream ended before it was done")
	// ErrInvalidOutput matches an *OutputError: the model's reply did not
	// fit the schema it was asked for, even after re-asking.
	ErrInvalidOutput = errors.New("llm: invalid model output")
	// ErrUnsupportedType is schema.ErrUnsupportedType, the same value
	// under the name the typed adapters' callers know: the error of
	// Structured, Extractor and Classifier (and of their New forms) for an
	// output type that has no JSON schema matches it, and chain.ErrConfig.
	ErrUnsupportedType = schema.ErrUnsupportedType

	// ErrModelNotFound matches an *Error for a model the server does not
	// have (HTTP 404).
	ErrModelNotFound = errors.New("llm: model not found")
	// ErrRateLimited matches an *Error for HTTP 429.
	ErrRateLimited = errors.New("llm: rate limited")
	// ErrAuth matches an *Error for HTTP 401 and 403.
	ErrAuth = errors.New("llm: not authorised")
	// ErrBadRequest matches an *Error for HTTP 400, 413 and 422: the
	// request itself was refused, retrying will not help.
	ErrBadRequest = errors.New("llm: bad request")
	// ErrServer matches an *Error for HTTP 5xx.
	ErrServer = errors.New("llm: server error")
)

// invalidInput is a sentinel for the caller's bad input: it implements
// chain.InputError.
type invalidInput string

func (e invalidInput) Error() string    { return string(e) }
func (invalidInput) InvalidInput() bool { return true }

// Error is a model provider's failure: which provider and model, the HTTP
// status (0 when the request never got an answer), the provider's error
// code and message, whether trying again may help and how long the server
// asked to wait. chain.Retry and chain.Breaker act on it through its
// Retryable and RetryAfter methods. It never holds an API key.
type Error struct {
	Provider   string
	Model      string
	StatusCode int
	Code       string
	Message    string
	// Temporary reports whether trying again may succeed: rate limits,
	// server errors, timeouts and dropped connections.
	Temporary bool
	// Wait is the server's Retry-After, zero if it gave none.
	Wait time.Duration
	// Err is the underlying error, if any.
	Err error
}

// Error describes the failure.
func (e *Error) Error() string {
	s := e.Provider
	if e.Model != "" {
		s += " " + e.Model
	}
	if e.StatusCode != 0 {
		s += fmt.Sprintf(": HTTP %d", e.StatusCode)
	}
	if e.Code != "" {
		s += " (" + e.Code + ")"
	}
	if e.Message != "" {
		s += ": " + e.Message
	} else if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Retryable reports whether trying again may succeed.
func (e *Error) Retryable() bool { return e.Temporary }

// RetryAfter returns the wait the server asked for.
func (e *Error) RetryAfter() time.Duration { return e.Wait }

// HTTPStatus returns StatusCode, for chain.HTTPStatusError: a
// chain.Breaker counts 5xx, 408 and 429 as the server's faults, not the
// other 4xx.
func (e *Error) HTTPStatus() int { return e.StatusCode }

// Is matches the status sentinels: ErrModelNotFound, ErrRateLimited,
// ErrAuth, ErrBadRequest, ErrServer.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrModelNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrAuth:
		return e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest || e.StatusCode == http.StatusRequestEntityTooLarge || e.StatusCode == http.StatusUnprocessableEntity
	case ErrServer:
		return e.StatusCode >= 500
	}
	return false
}

// TemporaryStatus reports whether an HTTP status is worth retrying: 408,
// 409, 425, 429 and every 5xx but 501.
func TemporaryStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusConflict, http.StatusTooEarly, http.StatusTooManyRequests:
		return true
	case http.StatusNotImplemented:
		return false
	}
	return code >= 500
}

// OutputError is returned by the typed adapters when the model's reply
// still did not fit the schema after every re-ask. Raw is the last reply,
// kept whole; Attempts is how many replies were tried; Err says why the
// last reply was refused (a *schema.InvalidError). It matches
// ErrInvalidOutput and schema.ErrInvalid.
type OutputError struct {
	Raw      string
	Attempts int
	Err      error
}

// Error says why the output was refused.
func (e *OutputError) Error() string {
	return fmt.Sprintf("llm: invalid model output after %d attempts: %v", e.Attempts, e.Err)
}

// Unwrap returns the validation or decoding error (a *schema.InvalidError).
func (e *OutputError) Unwrap() error { return e.Err }

// Retryable reports false: the typed adapters have already re-asked the
// model. A chain.Breaker does not count it as the model server's fault.
func (e *OutputError) Retryable() bool { return false }

// Is reports whether target is ErrInvalidOutput or schema.ErrInvalid:
// packages that know only chain/schema, such as chain/serve, recognise an
// invalid model output by the latter.
func (e *OutputError) Is(target error) bool {
	return target == ErrInvalidOutput || target == schema.ErrInvalid
}

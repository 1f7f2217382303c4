package serve

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/schema"
	"github.com/chorus-go/chorus/internal/redact"
)

// ErrorBody is the JSON body of every error reply, and the data of an
// event stream's "error" event.
type ErrorBody struct {
	Error ErrorInfo `json:"error"`
}

// ErrorInfo says what went wrong: the HTTP status, a stable code (such as
// "invalid_request" or "unavailable"), a message for people and, where
// there is more to say, details.
type ErrorInfo struct {
	Status  int      `json:"status"`
	Code    string   `json:"code"`
	Message string   `json:"message"`
	Details []Detail `json:"details,omitempty"`
}

// Detail is one item of an error's details: a schema violation at Path (a
// JSON pointer into the request body, "" for the body itself), or, with
// WithErrorDetails, the chain's error text.
type Detail struct {
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
}

// The codes of ErrorInfo.
const (
	CodeInvalidJSON      = "invalid_json"           // 400: the body is not one JSON object
	CodeInvalidRequest   = "invalid_request"        // 400: the body breaks the input schema, or the chain refused the input
	CodeMethodNotAllowed = "method_not_allowed"     // 405
	CodeTooLarge         = "body_too_large"         // 413
	CodeUnsupportedType  = "unsupported_media_type" // 415
	CodeUnprocessable    = "unprocessable"          // 422: no route, or invalid model output
	CodeInternal         = "internal"               // 500
	CodeUnavailable      = "unavailable"            // 503: circuit open, or a transient failure
	CodeTimeout          = "timeout"                // 504
	CodeNotFound         = "not_found"              // 404
	CodeBadRequest       = "bad_request"            // 400: anything else about the request
	CodeTooManyRequests  = "too_many_requests"      // 429: the endpoint's in-flight limit is reached
	CodeOverloaded       = "overloaded"             // 503: the Mux's in-flight limit is reached
)

// Status returns the HTTP status for a chain's error: 503 for
// chain.ErrOpen, 504 for chain.ErrTimeout and context.DeadlineExceeded,
// 400 for the caller's bad input (IsInvalidInput: llm.ErrInvalidRequest,
// chain.MarkInvalidInput), 422 for
// chain.ErrUnknownRoute and schema.ErrInvalid (a model's output that did
// not fit its schema: an llm.OutputError matches it), 503 for any other
// error chain.IsRetryable reports, and 500 for the rest.
func Status(err error) int {
	switch {
	case err == nil:
		return http.StatusOK
	case errors.Is(err, chain.ErrOpen):
		return http.StatusServiceUnavailable
	case errors.Is(err, chain.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout
	case IsInvalidInput(err):
		return http.StatusBadRequest
	case errors.Is(err, chain.ErrUnknownRoute), errors.Is(err, schema.ErrInvalid):
		return http.StatusUnprocessableEntity
	case chain.IsRetryable(err):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// IsInvalidInput reports whether a chain's error is the caller's fault,
// which Status answers with 400 and the error's text as the reason: an
// error in its chain implements chain.InputError and says so
// (llm.ErrInvalidRequest, chain.MarkInvalidInput; a stage that validates
// its input against a schema marks its schema.ErrInvalid so). A model
// server's own 400 is not: the request the chain built is the service's
// business, and its message may say more than callers should read.
func IsInvalidInput(err error) bool {
	var in chain.InputError
	return errors.As(err, &in) && in.InvalidInput()
}

// configError is the error of a constructor given an invalid argument or
// option (NewEndpoint, NewMux, Serve...), and what Mount panics with. It
// matches chain.ErrConfig, so chain.Build catches it, as well as the
// error it wraps (schema.ErrUnsupportedType...).
type configError struct {
	fn  string
	err error
}

func (e *configError) Error() string        { return "serve." + e.fn + ": " + e.err.Error() }
func (e *configError) Unwrap() error        { return e.err }
func (e *configError) Is(target error) bool { return target == chain.ErrConfig }

// failure is an error reply being made.
type failure struct {
	info       ErrorInfo
	retryAfter time.Duration // > 0: send Retry-After
}

func newFailure(status int, code, msg string, details ...Detail) failure {
	return failure{info: ErrorInfo{Status: status, Code: code, Message: msg, Details: details}}
}

// requestRedactor hides the request's own credentials (Authorization,
// Proxy-Authorization, Cookie, API key headers) and URL passwords from what
// serve logs and sends of a chain's error. The model adapters scrub their
// own secrets (API keys, the headers they send) from their errors first,
// through the same code (llm.Redactor).
func requestRedactor(r *http.Request) *redact.Redactor {
	return redact.New(redact.FromHeader(r.Header), nil)
}

// chainFailure turns a chain's error into a reply. Only the status's
// generic message goes out, unless details are on; the texts of err that
// go out are scrubbed by red.
func (e *Endpoint) chainFailure(err error, red *redact.Redactor, timedOut bool) failure {
	status := 0
	if timedOut {
		status = http.StatusGatewayTimeout
	} else if e.cfg.status != nil {
		status = e.cfg.status(err)
	}
	if status < 100 || status > 999 {
		status = Status(err)
	}
	f := newFailure(status, codeFor(status, err), messageFor(status, err, timedOut))
	if status == http.StatusBadRequest && IsInvalidInput(err) {
		// The caller's own fault: the reason is theirs to read.
		f.info.Code = CodeInvalidRequest
		f.info.Message = "invalid request: " + red.String(err.Error())
	}
	if e.cfg.details {
		f.info.Details = []Detail{{Message: red.String(err.Error())}}
	}
	if status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests {
		if d, ok := chain.RetryAfter(err); ok {
			f.retryAfter = d
		} else if errors.Is(err, chain.ErrOpen) {
			f.retryAfter = time.Second // the cooldown has just passed: a probe may go through
		}
	}
	return f
}

func codeFor(status int, err error) string {
	switch status {
	case http.StatusBadRequest:
		return CodeBadRequest
	case http.StatusNotFound:
		return CodeNotFound
	case http.StatusUnprocessableEntity:
		return CodeUnprocessable
	case http.StatusServiceUnavailable:
		return CodeUnavailable
	case http.StatusGatewayTimeout:
		return CodeTimeout
	}
	if status >= 500 {
		return CodeInternal
	}
	return "error_" + strconv.Itoa(status)
}

func messageFor(status int, err error, timedOut bool) string {
	switch {
	case timedOut:
		return "the request timed out"
	case status == http.StatusUnprocessableEntity && errors.Is(err, chain.ErrUnknownRoute):
		return "no route handles this input"
	case status == http.StatusUnprocessableEntity && errors.Is(err, schema.ErrInvalid):
		return "the model did not produce a valid answer for this input"
	case status == http.StatusServiceUnavailable && errors.Is(err, chain.ErrOpen):
		return "the service is temporarily unavailable (circuit open)"
	case status == http.StatusServiceUnavailable:
		return "the service is temporarily unavailable"
	case status == http.StatusGatewayTimeout:
		return "a model did not answer in time"
	}
	if t := http.StatusText(status); t != "" {
		return t
	}
	return "error"
}

// write sends the failure as a JSON reply.
func (f failure) write(w http.ResponseWriter) {
	h := w.Header()
	if f.retryAfter > 0 {
		h.Set("Retry-After", retryAfterSeconds(f.retryAfter))
	}
	writeJSON(w, f.info.Status, ErrorBody{Error: f.info})
}

// retryAfterSeconds formats a wait as whole seconds, rounded up, at least 1.
func retryAfterSeconds(d time.Duration) string {
	s := math.Ceil(d.Seconds())
	if s < 1 {
		s = 1
	}
	return strconv.FormatInt(int64(s), 10)
}

// writeJSON sends v as the body of a reply with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		// Only the package's own types come here; they always marshal.
		status, b = http.StatusInternalServerError, []byte(`{"error":{"status":500,"code":"internal","message":"Internal Server Error"}}`)
	}
	writeBody(w, status, "application/json", append(b, '\n'))
}

func writeBody(w http.ResponseWriter, status int, contentType string, b []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// logFailure logs a chain's failure: 5xx at Error, except 503 and 504,
// which like the rest are at Warn; a panic with its stack.
func (e *Endpoint) logFailure(r *http.Request, f failure, err error, stack slog.Attr) {
	level := slog.LevelWarn
	if f.info.Status >= 500 && f.info.Status != http.StatusServiceUnavailable && f.info.Status != http.StatusGatewayTimeout {
		level = slog.LevelError
	}
	e.cfg.logger.LogAttrs(r.Context(), level, "serve: chain failed",
		slog.String("path", r.URL.Path), slog.Int("status", f.info.Status), slog.Any("error", err), stack)
}

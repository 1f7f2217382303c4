package anthropictest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"
)

// apiError is the object inside Anthropic's error body
// {"type":"error","error":{"type":...,"message":...},"request_id":...}.
type apiError struct {
	Type    string `json:"type"`
	Message string `json:"message"`
}

type errorBody struct {
	Type      string    `json:"type"`
	Error     *apiError `json:"error"`
	RequestID string    `json:"request_id,omitempty"`
}

// writeError sends Anthropic's error body with this status.
func writeError(w http.ResponseWriter, status int, e *apiError) {
	writeJSON(w, status, errorBody{Type: "error", Error: e, RequestID: w.Header().Get("request-id")})
}

// writeJSON sends v as a JSON response with this status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = json.Marshal(errorBody{Type: "error", Error: &apiError{Type: "api_error", Message: "anthropictest: " + err.Error()}})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// Error is a reply with HTTP status and Anthropic's error body
// {"type":"error","error":{"type":errType,"message":message}}.
func Error(status int, errType, message string) Reply {
	return Reply{kind: kindError, status: status, apiErr: &apiError{Type: errType, Message: message}}
}

// BadRequest is a 400 invalid_request_error with this message.
func BadRequest(message string) Reply {
	return Error(http.StatusBadRequest, "invalid_request_error", message)
}

// Unauthorized is the 401 authentication_error of a wrong API key.
func Unauthorized() Reply {
	return Error(http.StatusUnauthorized, "authentication_error", "invalid x-api-key")
}

// PermissionDenied is the 403 permission_error of a key without access.
func PermissionDenied() Reply {
	return Error(http.StatusForbidden, "permission_error", "Your API key does not have permission to use the specified resource.")
}

// NotFound is the 404 not_found_error of an unknown model.
func NotFound(model string) Reply {
	return Error(http.StatusNotFound, "not_found_error", "model: "+model)
}

// RateLimited is a 429 rate_limit_error with the header "retry-after" (whole
// seconds, rounded up) set from retryAfter, and the
// anthropic-ratelimit-requests-* headers.
func RateLimited(retryAfter time.Duration) Reply {
	secs := int64(math.Ceil(retryAfter.Seconds()))
	return Error(http.StatusTooManyRequests, "rate_limit_error",
		fmt.Sprintf("This request would exceed the rate limit for your organization of 50 requests per minute. Please try again in %s.", retryAfter)).
		WithHeader("retry-after", strconv.FormatInt(secs, 10)).
		WithHeader("anthropic-ratelimit-requests-limit", "50").
		WithHeader("anthropic-ratelimit-requests-remaining", "0").
		WithHeader("anthropic-ratelimit-requests-reset", time.Now().Add(retryAfter).UTC().Format(time.RFC3339))
}

// ServerError is the 500 api_error.
func ServerError() Reply {
	return Error(http.StatusInternalServerError, "api_error", "Internal server error")
}

// Unavailable is a 503 api_error.
func Unavailable() Reply {
	return Error(http.StatusServiceUnavailable, "api_error", "Service unavailable")
}

// Overloaded is the 529 overloaded_error Anthropic sends when its API is
// temporarily overloaded.
func Overloaded() Reply {
	return Error(529, "overloaded_error", "Overloaded")
}

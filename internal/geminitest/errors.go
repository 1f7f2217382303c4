package geminitest

import (
	"fmt"
	"net/http"
	"time"
)

// Error is a reply with HTTP status code and Google's error body
// {"error":{"code":code,"message":message,"status":status}}, status being
// the google.rpc code name (INVALID_ARGUMENT, PERMISSION_DENIED,
// NOT_FOUND, RESOURCE_EXHAUSTED, INTERNAL, UNAVAILABLE ...).
func Error(code int, status, message string) Reply {
	return Reply{kind: kindError, status: code, apiErr: &apiError{Code: code, Status: status, Message: message}}
}

// RateLimited is the 429 RESOURCE_EXHAUSTED the Gemini API sends when a
// quota is used up, with a google.rpc.RetryInfo detail whose retryDelay is
// retryDelay (when positive, in whole seconds as the API writes it: "3s").
func RateLimited(retryDelay time.Duration) Reply {
	r := Error(http.StatusTooManyRequests, "RESOURCE_EXHAUSTED",
		"You exceeded your current quota, please check your plan and billing details.")
	if retryDelay > 0 {
		r = r.WithRetryDelay(retryDelay)
	}
	return r
}

// Unavailable is the 503 UNAVAILABLE of an overloaded model.
func Unavailable() Reply {
	return Error(http.StatusServiceUnavailable, "UNAVAILABLE", "The model is overloaded. Please try again later.")
}

// NotFound is the 404 NOT_FOUND of an unknown model.
func NotFound(model string) Reply {
	return Error(http.StatusNotFound, "NOT_FOUND",
		fmt.Sprintf("models/%s is not found for API version v1beta, or is not supported for generateContent.", model))
}

// WithRetryDelay returns an error reply whose details hold a
// google.rpc.RetryInfo with this retryDelay ("3s", "0.5s").
func (r Reply) WithRetryDelay(d time.Duration) Reply {
	return r.WithDetail(map[string]any{
		"@type":      "type.googleapis.com/google.rpc.RetryInfo",
		"retryDelay": fmt.Sprintf("%gs", d.Seconds()),
	})
}

// WithDetail returns an error reply with one more entry in its details.
func (r Reply) WithDetail(detail map[string]any) Reply {
	if r.apiErr != nil {
		e := *r.apiErr
		e.Details = append(append([]map[string]any(nil), e.Details...), detail)
		r.apiErr = &e
	}
	return r
}

func invalidKeyError() *apiError {
	return &apiError{Code: http.StatusBadRequest, Status: "INVALID_ARGUMENT",
		Message: "API key not valid. Please pass a valid API key.",
		Details: []map[string]any{{
			"@type":  "type.googleapis.com/google.rpc.ErrorInfo",
			"reason": "API_KEY_INVALID", "domain": "googleapis.com",
		}}}
}

func missingKeyError() *apiError {
	return &apiError{Code: http.StatusForbidden, Status: "PERMISSION_DENIED",
		Message: "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API."}
}

func notFoundPath(method, path string) *apiError {
	return &apiError{Code: http.StatusNotFound, Status: "NOT_FOUND",
		Message: fmt.Sprintf("geminitest: no endpoint %s %s", method, path)}
}

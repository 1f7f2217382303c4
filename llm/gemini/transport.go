package gemini

import (
	"context"
	"net/http"
	"time"

	"github.com/chorus-go/chorus/llm"
)

// The SDK's APIError keeps no response headers, so a Retry-After would be
// lost. The adapter wraps the HTTP client's transport in a recorder that
// writes what it saw into a callInfo carried by the request's context:
// every attempt makes its own, and the SDK sends on the caller's
// goroutine, so the caller reads it after the call returned, without
// locks.

// callInfo is what the recorder saw of one attempt's response.
type callInfo struct {
	start      time.Time
	status     int
	retryAfter time.Duration
}

type callKey struct{}

// withCall returns a context carrying a fresh callInfo.
func withCall(ctx context.Context) (context.Context, *callInfo) {
	call := &callInfo{start: time.Now()}
	return context.WithValue(ctx, callKey{}, call), call
}

func (c *callInfo) elapsed() time.Duration { return time.Since(c.start) }

// recorder records each response's status and Retry-After.
type recorder struct{ next http.RoundTripper }

func (t recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if resp == nil {
		return resp, err
	}
	if call, ok := req.Context().Value(callKey{}).(*callInfo); ok {
		call.status = resp.StatusCode
		if resp.StatusCode >= http.StatusBadRequest {
			call.retryAfter = llm.RetryAfterHeader(resp.Header, time.Now())
		}
	}
	return resp, err
}

package openai

import (
	"context"
	"net/http"
	"time"

	"github.com/chorus-go/chorus/llm"
)

// go-openai drops the response headers of a failed request, so the
// server's Retry-After would be lost. The adapter wraps the HTTP client in
// a transport that writes what it saw into a callInfo carried by the
// request's context: each call makes its own callInfo, and go-openai calls
// Do on the caller's goroutine, so concurrent calls never share one and
// the caller reads it after Do returned, without locks.

// callInfo is what the transport saw of one call's response.
type callInfo struct {
	start      time.Time
	status     int
	header     http.Header
	retryAfter time.Duration
}

type callKey struct{}

// withCall returns a context carrying a fresh callInfo for one call.
func withCall(ctx context.Context) (context.Context, *callInfo) {
	call := &callInfo{start: time.Now()}
	return context.WithValue(ctx, callKey{}, call), call
}

func (c *callInfo) elapsed() time.Duration { return time.Since(c.start) }

// requestID is the server's x-request-id, for logs.
func (c *callInfo) requestID() string {
	if c.header == nil {
		return ""
	}
	return c.header.Get("X-Request-Id")
}

// transport records each response's status, headers and Retry-After in the
// request's callInfo.
type transport struct {
	next   Doer
	tokens *tokenSource // Entra ID tokens for Azure, nil otherwise
}

func (t transport) Do(req *http.Request) (*http.Response, error) {
	if t.tokens != nil {
		if err := t.tokens.authorize(req); err != nil {
			return nil, err
		}
	}
	resp, err := t.next.Do(req)
	if resp == nil {
		return resp, err
	}
	if call, ok := req.Context().Value(callKey{}).(*callInfo); ok {
		call.status = resp.StatusCode
		call.header = resp.Header
		if resp.StatusCode >= http.StatusBadRequest {
			call.retryAfter = llm.RetryAfterHeader(resp.Header, time.Now())
		}
	}
	return resp, err
}

package openai

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"
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
type transport struct{ next Doer }

func (t transport) Do(req *http.Request) (*http.Response, error) {
	resp, err := t.next.Do(req)
	if resp == nil {
		return resp, err
	}
	if call, ok := req.Context().Value(callKey{}).(*callInfo); ok {
		call.status = resp.StatusCode
		call.header = resp.Header
		if resp.StatusCode >= http.StatusBadRequest {
			call.retryAfter = retryAfter(resp.Header, time.Now())
		}
	}
	return resp, err
}

// retryAfter reads how long the server asked the client to wait:
// retry-after-ms (OpenAI's, milliseconds), else Retry-After in seconds or
// as an HTTP date. Zero when absent or unreadable.
func retryAfter(h http.Header, now time.Time) time.Duration {
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms > 0 && ms < 1e12 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs > 0 && secs < 1e9 {
			return time.Duration(secs * float64(time.Second))
		}
		return 0
	}
	if at, err := http.ParseTime(v); err == nil {
		if d := at.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

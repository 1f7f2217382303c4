package serve

import (
	"context"
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// The in-flight limits' defaults. A request counts from before its body
// is read until its reply, or its event stream, ends; so with the default
// body limit, requests in flight on a Mux hold at most
// DefaultMuxMaxInFlight × (DefaultMaxBodyBytes + the per-request working
// set) of memory for their bodies (see the package documentation for the
// figures).
//
// 64 per endpoint lets one endpoint use at most a quarter of the whole,
// so a flood on one path leaves room for the others; 256 overall is not
// derived from GOMAXPROCS because calls to models mostly wait on the
// network, not on the CPU.
const (
	DefaultMaxInFlight    = 64
	DefaultMuxMaxInFlight = 256
)

// limitRetryAfter is the Retry-After of a reply refused by a limit.
const limitRetryAfter = time.Second

// Rejection describes a request refused because too many were in flight:
// what WithOnReject and WithMuxOnReject hooks receive, to count as a
// metric.
type Rejection struct {
	// Path is the request's URL path.
	Path string
	// Scope is "endpoint" for an Endpoint's own limit (WithMaxInFlight,
	// status 429) or "mux" for a Mux's limit over all its endpoints
	// (WithMuxMaxInFlight, status 503).
	Scope string
	// Limit is the limit that was reached.
	Limit int
	// Status is the reply's HTTP status: 429 or 503.
	Status int
}

// limiter counts requests in flight; a nil limiter or a zero max admits
// all.
type limiter struct {
	max int64
	n   atomic.Int64
}

func newLimiter(max int) *limiter {
	if max <= 0 {
		return nil
	}
	return &limiter{max: int64(max)}
}

// acquire takes a slot, or reports that none is free. It never waits.
func (l *limiter) acquire() bool {
	if l == nil {
		return true
	}
	if l.n.Add(1) > l.max {
		l.n.Add(-1)
		return false
	}
	return true
}

// release gives back a slot taken by acquire.
func (l *limiter) release() {
	if l != nil {
		l.n.Add(-1)
	}
}

// reject answers a request refused by a limit, with Retry-After, and
// tells the hook. It first reads and discards the body, up to maxBody
// bytes, keeping none of it: a server that closed the connection on an
// unread body would leave the client with a broken pipe, not the reply.
func reject(w http.ResponseWriter, r *http.Request, rej Rejection, maxBody int64, hook func(context.Context, Rejection)) {
	_, _ = io.Copy(io.Discard, http.MaxBytesReader(w, r.Body, maxBody))
	var f failure
	if rej.Status == http.StatusTooManyRequests {
		f = newFailure(rej.Status, CodeTooManyRequests, "too many requests in flight on this endpoint; retry later")
	} else {
		f = newFailure(rej.Status, CodeOverloaded, "the server has too many requests in flight; retry later")
	}
	f.retryAfter = limitRetryAfter
	f.write(w)
	if hook != nil {
		hook(r.Context(), rej)
	}
}

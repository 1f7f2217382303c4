// Package wiretest holds what the wire-level test servers of Chorus
// (internal/openaitest, internal/anthropictest, internal/geminitest)
// share: the log of the requests they received and the script of their
// replies.
//
//	var log wiretest.Log[Request]
//	log.Add(req)                       // in the handler
//	err := log.Wait(ctx, 3, "mytest")  // in a test
//
// Users should not import it.
package wiretest

import (
	"context"
	"fmt"
	"sync"
)

// Log is a list of requests in arrival order that tests can wait on. Its
// zero value is ready; it is safe for concurrent use.
type Log[R any] struct {
	mu      sync.Mutex
	reqs    []R
	arrived chan struct{} // closed and replaced on every request
}

// Add appends r and wakes the waiters.
func (l *Log[R]) Add(r R) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reqs = append(l.reqs, r)
	if l.arrived != nil {
		close(l.arrived)
	}
	l.arrived = make(chan struct{})
}

// All returns a copy of the requests so far.
func (l *Log[R]) All() []R {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]R(nil), l.reqs...)
}

// Last returns the latest request, and false if there was none.
func (l *Log[R]) Last() (R, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.reqs) == 0 {
		var zero R
		return zero, false
	}
	return l.reqs[len(l.reqs)-1], true
}

// Wait blocks until at least n requests have arrived or ctx is done; its
// error names pkg.
func (l *Log[R]) Wait(ctx context.Context, n int, pkg string) error {
	for {
		l.mu.Lock()
		got := len(l.reqs)
		if l.arrived == nil {
			l.arrived = make(chan struct{})
		}
		ch := l.arrived
		l.mu.Unlock()
		if got >= n {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return fmt.Errorf("%s: %d of %d requests received: %w", pkg, got, n, ctx.Err())
		}
	}
}

// Package redacttest collects everything a failed call shows (error texts,
// hook events, logs) so that tests can check a secret appears nowhere.
package redacttest

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/chorus-go/chorus/chain"
)

// ErrorTexts returns what err shows: its Error(), its "%v", "%+v" and
// "%s" forms, and the Error() of every error in its chain (Unwrap and
// Unwrap []error, depth first).
func ErrorTexts(err error) []string {
	if err == nil {
		return nil
	}
	out := []string{fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%s", err)}
	var walk func(error, int)
	walk = func(e error, depth int) {
		if e == nil || depth > 100 {
			return
		}
		out = append(out, e.Error())
		switch x := e.(type) {
		case interface{ Unwrap() error }:
			walk(x.Unwrap(), depth+1)
		case interface{ Unwrap() []error }:
			for _, k := range x.Unwrap() {
				walk(k, depth+1)
			}
		}
	}
	walk(err, 0)
	return out
}

// Forms are the spellings of secret to look for: itself, URL-escaped for
// a query and a path.
func Forms(secret string) []string {
	return []string{secret, url.QueryEscape(secret), url.PathEscape(secret)}
}

// NoSecret fails t for every text that holds secret in one of its Forms.
func NoSecret(t testing.TB, secret, what string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		for _, f := range Forms(secret) {
			if strings.Contains(s, f) {
				t.Errorf("%s shows the secret: %s", what, s)
				break
			}
		}
	}
}

// Log is a logger writing text records, at Debug and above, to a buffer.
type Log struct {
	mu  sync.Mutex
	buf bytes.Buffer
	// Logger writes to the buffer.
	Logger *slog.Logger
}

// NewLog returns a Log.
func NewLog() *Log {
	l := &Log{}
	l.Logger = slog.New(slog.NewTextHandler(lockedWriter{l}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return l
}

type lockedWriter struct{ l *Log }

func (w lockedWriter) Write(p []byte) (int, error) {
	w.l.mu.Lock()
	defer w.l.mu.Unlock()
	return w.l.buf.Write(p)
}

// String returns what was logged.
func (l *Log) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Hooks records the errors of the node ends and events it sees.
type Hooks struct {
	mu   sync.Mutex
	errs []error
}

// Context returns ctx with h installed.
func (h *Hooks) Context(ctx context.Context) context.Context {
	add := func(err error) {
		if err != nil {
			h.mu.Lock()
			h.errs = append(h.errs, err)
			h.mu.Unlock()
		}
	}
	return chain.WithHooks(ctx, chain.HookFuncs{
		OnEnd:   func(_ context.Context, _ chain.NodeInfo, r chain.NodeResult) { add(r.Err) },
		OnEvent: func(_ context.Context, _ chain.NodeInfo, e chain.Event) { add(e.Err) },
	})
}

// Texts returns the ErrorTexts of every error recorded.
func (h *Hooks) Texts() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, e := range h.errs {
		out = append(out, ErrorTexts(e)...)
	}
	return out
}

// Len is the number of errors recorded.
func (h *Hooks) Len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.errs)
}

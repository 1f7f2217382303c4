package serve

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Mux serves several endpoints, each at its own path, next to the
// liveness (/healthz) and readiness (/readyz) endpoints and, with
// WithMetrics, /metrics. It is safe for concurrent use; mount endpoints
// before serving.
type Mux struct {
	mux          *http.ServeMux
	readyTimeout time.Duration

	mu     sync.RWMutex
	checks []check
}

// check is one readiness check: a named function.
type check struct {
	name string
	fn   func(context.Context) error
}

// MuxOption configures a Mux.
type MuxOption func(*Mux)

// DefaultReadyTimeout bounds a readiness request's checks unless
// WithReadyTimeout says otherwise.
const DefaultReadyTimeout = 5 * time.Second

// WithReadyCheck adds a readiness check: /readyz answers 503 while it
// fails. Use it for what the chains' graphs do not show, such as a model
// server's health endpoint. name labels the check in /readyz's body.
func WithReadyCheck(name string, fn func(ctx context.Context) error) MuxOption {
	return func(m *Mux) {
		if fn != nil {
			m.checks = append(m.checks, check{name: name, fn: fn})
		}
	}
}

// WithReadyTimeout bounds how long /readyz waits for its checks; a check
// still running then counts as failed. d <= 0 keeps DefaultReadyTimeout.
func WithReadyTimeout(d time.Duration) MuxOption {
	return func(m *Mux) {
		if d > 0 {
			m.readyTimeout = d
		}
	}
}

// WithMetrics serves h at /metrics, such as the handler of a Prometheus
// registry, so metrics plug in without this package importing them.
func WithMetrics(h http.Handler) MuxOption {
	return func(m *Mux) {
		if h != nil {
			m.mux.Handle("/metrics", h)
		}
	}
}

// NewMux returns a Mux serving /healthz and /readyz.
func NewMux(opts ...MuxOption) *Mux {
	m := &Mux{mux: http.NewServeMux(), readyTimeout: DefaultReadyTimeout}
	m.mux.HandleFunc("/healthz", serveHealth)
	m.mux.HandleFunc("/readyz", m.serveReady)
	for _, o := range opts {
		if o != nil {
			o(m)
		}
	}
	return m
}

// Mount serves e at path (POST runs the chain), path+"/schema" and
// path+"/graph", and adds the circuit breakers of e's chain, and every
// other node with a Check(ctx) error method, to the readiness checks.
// path must start with '/', not end with one (unless it is "/"), and hold
// no '{' or '}'. Like http.ServeMux.Handle, Mount panics if path is
// invalid or already taken.
func (m *Mux) Mount(path string, e *Endpoint) {
	if e == nil {
		panic("serve: Mount " + path + ": nil endpoint")
	}
	if !strings.HasPrefix(path, "/") || (path != "/" && strings.HasSuffix(path, "/")) || strings.ContainsAny(path, "{}") {
		panic(fmt.Sprintf("serve: Mount: invalid path %q: it must start with '/', not end with one, and hold no '{' or '}'", path))
	}
	base, exact := path, path
	if path == "/" {
		base, exact = "", "/{$}"
	}
	m.mux.HandleFunc(exact, e.serveChain)
	m.mux.HandleFunc(base+"/schema", e.serveSchema)
	m.mux.HandleFunc(base+"/graph", e.serveGraph)
	checks := nodeChecks(path, e.Describe())
	m.mu.Lock()
	m.checks = append(m.checks, checks...)
	m.mu.Unlock()
}

// Handle serves h for pattern, as http.ServeMux.Handle does, for the
// routes a service has beside its chains.
func (m *Mux) Handle(pattern string, h http.Handler) { m.mux.Handle(pattern, h) }

// ServeHTTP dispatches the request.
func (m *Mux) ServeHTTP(w http.ResponseWriter, r *http.Request) { m.mux.ServeHTTP(w, r) }

// serveHealth is liveness: the process is serving.
func serveHealth(w http.ResponseWriter, r *http.Request) {
	if getOrHead(w, r) {
		writeJSON(w, http.StatusOK, readyBody{Status: "ok"})
	}
}

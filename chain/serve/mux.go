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
	inFlight     *limiter
	maxInFlight  int
	onReject     func(context.Context, Rejection)

	mu     sync.RWMutex
	checks []check
}

// check is one readiness check: a named function.
type check struct {
	name string
	fn   func(context.Context) error
}

// MuxOption configures a Mux. An invalid value makes NewMux fail with an
// error matching chain.ErrConfig; it is never ignored.
type MuxOption func(*muxConfig)

type muxConfig struct {
	readyTimeout time.Duration
	checks       []check
	metrics      http.Handler
	maxInFlight  int
	onReject     func(context.Context, Rejection)
	err          error // the first invalid option
}

func (c *muxConfig) fail(option, format string, args ...any) {
	if c.err == nil {
		c.err = fmt.Errorf("%s: %s", option, fmt.Sprintf(format, args...))
	}
}

// DefaultReadyTimeout bounds a readiness request's checks unless
// WithReadyTimeout says otherwise.
const DefaultReadyTimeout = 5 * time.Second

// WithReadyCheck adds a readiness check: /readyz answers 503 while it
// fails. Use it for what the chains' graphs do not show, such as a model
// server's health endpoint. name labels the check in /readyz's body; it
// must not be empty, and fn must not be nil.
func WithReadyCheck(name string, fn func(ctx context.Context) error) MuxOption {
	return func(c *muxConfig) {
		switch {
		case name == "":
			c.fail("WithReadyCheck", "empty name")
		case fn == nil:
			c.fail("WithReadyCheck", "check %q: nil function", name)
		default:
			c.checks = append(c.checks, check{name: name, fn: fn})
		}
	}
}

// WithReadyTimeout bounds how long /readyz waits for its checks (default
// DefaultReadyTimeout); a check still running then counts as failed. d
// must be positive.
func WithReadyTimeout(d time.Duration) MuxOption {
	return func(c *muxConfig) {
		if d <= 0 {
			c.fail("WithReadyTimeout", "duration must be positive, got %v", d)
			return
		}
		c.readyTimeout = d
	}
}

// WithMetrics serves h at /metrics, such as the handler of a Prometheus
// registry, so metrics plug in without this package importing them. h
// must not be nil.
func WithMetrics(h http.Handler) MuxOption {
	return func(c *muxConfig) {
		if h == nil {
			c.fail("WithMetrics", "nil handler")
			return
		}
		c.metrics = h
	}
}

// WithMuxMaxInFlight bounds how many calls the Mux's mounted endpoints
// serve at once, all together (default DefaultMuxMaxInFlight): a POST
// beyond it is refused at once, its body read and discarded (none of it kept), with 503 and
// Retry-After: 1; requests are not queued. Each endpoint's own limit
// (WithMaxInFlight, 429) applies too. /healthz, /readyz, /metrics, the
// /schema and /graph routes and routes added with Handle are never
// counted nor refused. 0 means no bound; n must not be negative.
func WithMuxMaxInFlight(n int) MuxOption {
	return func(c *muxConfig) {
		if n < 0 {
			c.fail("WithMuxMaxInFlight", "negative limit %d", n)
			return
		}
		c.maxInFlight = n
	}
}

// WithMuxOnReject calls f, after the reply, for each request
// WithMuxMaxInFlight's limit refused, so that rejections can be counted
// as a metric. f must not be nil, and must be quick.
func WithMuxOnReject(f func(ctx context.Context, r Rejection)) MuxOption {
	return func(c *muxConfig) {
		if f == nil {
			c.fail("WithMuxOnReject", "nil function")
			return
		}
		c.onReject = f
	}
}

// NewMux returns a Mux serving /healthz and /readyz (and /metrics with
// WithMetrics). It fails, with an error matching chain.ErrConfig, when an
// option is invalid.
func NewMux(opts ...MuxOption) (*Mux, error) {
	cfg := muxConfig{readyTimeout: DefaultReadyTimeout, maxInFlight: DefaultMuxMaxInFlight}
	for _, o := range opts {
		if o == nil {
			cfg.fail("MuxOption", "nil option")
			continue
		}
		o(&cfg)
	}
	if cfg.err != nil {
		return nil, &configError{"NewMux", cfg.err}
	}
	m := &Mux{mux: http.NewServeMux(), readyTimeout: cfg.readyTimeout, checks: cfg.checks,
		inFlight: newLimiter(cfg.maxInFlight), maxInFlight: cfg.maxInFlight, onReject: cfg.onReject}
	m.mux.HandleFunc("/healthz", serveHealth)
	m.mux.HandleFunc("/readyz", m.serveReady)
	if cfg.metrics != nil {
		m.mux.Handle("/metrics", cfg.metrics)
	}
	return m, nil
}

// MustMux is NewMux that panics instead of returning an error, for muxes
// set up in code, as regexp.MustCompile does.
func MustMux(opts ...MuxOption) *Mux {
	m, err := NewMux(opts...)
	if err != nil {
		panic(err)
	}
	return m
}

// Mount serves e at path (POST runs the chain), path+"/schema" and
// path+"/graph", and adds the circuit breakers of e's chain, and every
// other node with a Check(ctx) error method, to the readiness checks.
// path must start with '/', not end with one (unless it is "/"), and hold
// no '{' or '}'. Like http.ServeMux.Handle, Mount panics if path is
// invalid or already taken, or e is nil: with an error matching
// chain.ErrConfig, so chain.Build turns it into an error.
func (m *Mux) Mount(path string, e *Endpoint) {
	if e == nil {
		panic(&configError{"Mux.Mount", fmt.Errorf("%s: nil endpoint", path)})
	}
	if !strings.HasPrefix(path, "/") || (path != "/" && strings.HasSuffix(path, "/")) || strings.ContainsAny(path, "{}") {
		panic(&configError{"Mux.Mount", fmt.Errorf("invalid path %q: it must start with '/', not end with one, and hold no '{' or '}'", path)})
	}
	base, exact := path, path
	if path == "/" {
		base, exact = "", "/{$}"
	}
	m.handle(exact, m.limit(e.serveChain, e.cfg.maxBody))
	m.handle(base+"/schema", e.serveSchema)
	m.handle(base+"/graph", e.serveGraph)
	checks := nodeChecks(path, e.Describe())
	m.mu.Lock()
	m.checks = append(m.checks, checks...)
	m.mu.Unlock()
}

// limit counts the requests h serves against the Mux's in-flight limit.
func (m *Mux) limit(h http.HandlerFunc, maxBody int64) http.HandlerFunc {
	if m.inFlight == nil {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			h(w, r) // a 405, not a call
			return
		}
		if !m.inFlight.acquire() {
			reject(w, r, Rejection{Path: r.URL.Path, Scope: "mux", Limit: m.maxInFlight, Status: http.StatusServiceUnavailable}, maxBody, m.onReject)
			return
		}
		defer m.inFlight.release()
		h(w, r)
	}
}

// handle registers a route for Mount, turning http.ServeMux's panic on a
// pattern already taken into a configuration error.
func (m *Mux) handle(pattern string, h http.HandlerFunc) {
	defer func() {
		if r := recover(); r != nil {
			panic(&configError{"Mux.Mount", fmt.Errorf("%v", r)})
		}
	}()
	m.mux.HandleFunc(pattern, h)
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

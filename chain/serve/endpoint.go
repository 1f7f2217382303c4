package serve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"strings"

	"github.com/chorus-go/chorus/chain"
)

// Endpoint is an http.Handler that serves one chain; NewEndpoint makes it.
//
// A POST with a JSON body runs the chain (see the package documentation
// for the request, the reply and the error statuses); GET on a path
// ending in /schema serves the request and response schemas, GET on a
// path ending in /graph the inference graph. Mounted on a Mux at a path,
// it answers at that path and at path/schema and path/graph.
//
// A POST that accepts text/event-stream gets the answer as Server-Sent
// Events. When Out is text (a string type), the answer comes from
// chain.StreamText: piece by piece when the chain (or the last stage of a
// sequence) is a chain.TextStreamer, else as one piece. Each piece is an
// event
//
//	event: chunk
//	data: {"text":"..."}
//
// flushed at once. Any other Out is sent whole, when the chain returns, as
// one event whose data is the JSON reply a plain POST gets (valid against
// the response schema):
//
//	event: result
//	data: {"field":...}
//
// Either stream ends with "event: done" (data {}), or with "event: error"
// whose data is an ErrorBody. An error before the first event is sent as
// an ordinary JSON error reply with its status instead. When the client
// goes away the chain's context is cancelled and the stream stops.
type Endpoint struct {
	cfg      config
	chain    any
	schemas  []byte
	mermaid  []byte
	dot      []byte
	maxCache int // largest body buffer kept for reuse
	inFlight *limiter
	call     func(w http.ResponseWriter, r *http.Request, body []byte)
}

// NewEndpoint returns an Endpoint serving c. It fails, with an error
// matching chain.ErrConfig, when c is nil, an option is invalid, or In or
// Out has no JSON schema (then it matches schema.ErrUnsupportedType too:
// an interface, a func, a chan, a recursive type; wrap such a chain in one
// whose types do, such as chain.Winner around a chain.Vote).
func NewEndpoint[In, Out any](c chain.Chain[In, Out], opts ...Option) (*Endpoint, error) {
	if c == nil {
		return nil, &configError{"NewEndpoint", errors.New("nil chain")}
	}
	cfg := newConfig(opts)
	if cfg.err != nil {
		return nil, &configError{"NewEndpoint", cfg.err}
	}
	in, out, schemas, err := buildSchemas[In, Out]()
	if err != nil {
		return nil, &configError{"NewEndpoint", err}
	}
	dec, err := newRequestDecoder(in)
	if err != nil {
		return nil, &configError{"NewEndpoint", fmt.Errorf("request schema: %w", err)}
	}
	e := &Endpoint{
		cfg:      cfg,
		chain:    c,
		schemas:  schemas,
		mermaid:  []byte(chain.Mermaid(c)),
		dot:      []byte(chain.DOT(c)),
		inFlight: newLimiter(cfg.maxInFlight),
	}
	e.maxCache = int(min(e.cfg.maxBody, 1<<20))
	text := reflect.TypeFor[Out]().Kind() == reflect.String
	e.call = func(w http.ResponseWriter, r *http.Request, body []byte) {
		v, f, ok := dec.decode(body)
		if !ok {
			f.write(w)
			return
		}
		ctx, tctx, cancel := e.callContext(r)
		defer cancel()
		if wantsEvents(r.Header.Get("Accept")) {
			if text {
				e.stream(w, r, tctx, "chunk", textEvents(safeSeq(chain.StreamText(ctx, c, v))))
			} else {
				e.stream(w, r, tctx, "result", resultEvent(ctx, c, v, out))
			}
			return
		}
		res, err := runSafe(ctx, c, v)
		if err != nil {
			e.fail(w, r, tctx, err)
			return
		}
		b, err := out.Encode(res)
		if err != nil {
			e.fail(w, r, tctx, err)
			return
		}
		writeBody(w, http.StatusOK, "application/json", append(b, '\n'))
	}
	return e, nil
}

// MustEndpoint is NewEndpoint that panics instead of returning an error,
// for endpoints set up in code, as regexp.MustCompile does.
func MustEndpoint[In, Out any](c chain.Chain[In, Out], opts ...Option) *Endpoint {
	e, err := NewEndpoint(c, opts...)
	if err != nil {
		panic(err)
	}
	return e
}

// Describe returns the served chain's graph, so chain.Describe, Mermaid
// and DOT work on an Endpoint.
func (e *Endpoint) Describe() chain.Node { return chain.Describe(e.chain) }

// ServeHTTP routes by the path's ending: /schema and /graph serve those,
// anything else runs the chain.
func (e *Endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasSuffix(r.URL.Path, "/schema"):
		e.serveSchema(w, r)
	case strings.HasSuffix(r.URL.Path, "/graph"):
		e.serveGraph(w, r)
	default:
		e.serveChain(w, r)
	}
}

func (e *Endpoint) serveChain(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		methodNotAllowed(w, "POST")
		return
	}
	if !e.inFlight.acquire() {
		reject(w, r, Rejection{Path: r.URL.Path, Scope: "endpoint", Limit: e.cfg.maxInFlight, Status: http.StatusTooManyRequests}, e.cfg.maxBody, e.cfg.onReject)
		return
	}
	defer e.inFlight.release()
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= e.maxCache {
			bufPool.Put(buf)
		}
	}()
	if f, ok := readBody(w, r, buf, e.cfg.maxBody); !ok {
		f.write(w)
		return
	}
	if f, ok := checkObject(buf.Bytes()); !ok {
		f.write(w)
		return
	}
	e.call(w, r, buf.Bytes())
}

func (e *Endpoint) serveSchema(w http.ResponseWriter, r *http.Request) {
	if getOrHead(w, r) {
		writeBody(w, http.StatusOK, "application/json", e.schemas)
	}
}

func (e *Endpoint) serveGraph(w http.ResponseWriter, r *http.Request) {
	if !getOrHead(w, r) {
		return
	}
	switch r.URL.Query().Get("format") {
	case "", "mermaid":
		writeBody(w, http.StatusOK, "text/plain; charset=utf-8", e.mermaid)
	case "dot":
		writeBody(w, http.StatusOK, "text/vnd.graphviz; charset=utf-8", e.dot)
	default:
		newFailure(http.StatusBadRequest, CodeBadRequest, `format must be "mermaid" or "dot"`).write(w)
	}
}

// getOrHead answers 405 unless the method is GET or HEAD.
func getOrHead(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	methodNotAllowed(w, "GET, HEAD")
	return false
}

func methodNotAllowed(w http.ResponseWriter, allow string) {
	w.Header().Set("Allow", allow)
	newFailure(http.StatusMethodNotAllowed, CodeMethodNotAllowed, "method not allowed; allowed: "+allow).write(w)
}

// errRequestTimeout is the cause of the deadline WithTimeout sets.
var errRequestTimeout = errors.New("serve: request timed out")

// timedOut reports whether the endpoint's own deadline ended tctx.
func timedOut(tctx context.Context) bool {
	return errors.Is(context.Cause(tctx), errRequestTimeout)
}

// callContext returns the context a call runs under (with the hooks) and
// the one that carries the endpoint's deadline.
func (e *Endpoint) callContext(r *http.Request) (ctx, tctx context.Context, cancel context.CancelFunc) {
	tctx, cancel = r.Context(), func() {}
	if e.cfg.timeout > 0 {
		tctx, cancel = context.WithTimeoutCause(tctx, e.cfg.timeout, errRequestTimeout)
	}
	ctx = tctx
	if len(e.cfg.hooks) > 0 {
		ctx = chain.WithHooks(ctx, e.cfg.hooks...)
	}
	return ctx, tctx, cancel
}

// fail replies to a chain's error, or only logs it when the client has
// gone and nobody is left to read the reply.
//
// A panic is a bug, so it is logged as a failure, with its stack, even when
// the client has gone. The stack goes to the log only, never to the
// client.
func (e *Endpoint) fail(w http.ResponseWriter, r *http.Request, tctx context.Context, err error) {
	gone := r.Context().Err() != nil
	if gone && !errors.As(err, new(*chain.PanicError)) {
		e.clientGone(r, err)
		return
	}
	red := requestRedactor(r)
	f := e.chainFailure(err, red, timedOut(tctx))
	e.logFailure(r, f, red.Error(err), stackAttr(err))
	if !gone {
		f.write(w)
	}
}

// stackAttr is the log attribute "stack" with the stack of the panic err
// holds, if it holds a *chain.PanicError; otherwise an empty attribute,
// which slog leaves out. It reads the error as the chain returned it,
// before redaction (a stack holds no request data).
func stackAttr(err error) slog.Attr {
	var p *chain.PanicError
	if errors.As(err, &p) && len(p.Stack) > 0 {
		return slog.String("stack", string(p.Stack))
	}
	return slog.Attr{}
}

func (e *Endpoint) clientGone(r *http.Request, err error) {
	e.cfg.logger.LogAttrs(r.Context(), slog.LevelDebug, "serve: client went away",
		slog.String("path", r.URL.Path), slog.Any("error", requestRedactor(r).Error(err)))
}

// runSafe runs c, turning a panic into a *chain.PanicError.
func runSafe[In, Out any](ctx context.Context, c chain.Chain[In, Out], in In) (Out, error) {
	out, err := chain.SafeRun(ctx, c, in)
	var p *chain.PanicError
	if errors.As(err, &p) && p.Value == http.ErrAbortHandler {
		panic(http.ErrAbortHandler) // net/http's way to abort a response: not the chain's failure
	}
	return out, err
}

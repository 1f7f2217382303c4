package anthropictest

import (
	"bytes"
	"context"
	"fmt"
	"github.com/chorus-go/chorus/internal/wiretest"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Path is the one endpoint the server answers: POST /v1/messages.
const Path = "/v1/messages"

// maxFuncDepth bounds Func replies returning Func replies.
const maxFuncDepth = 8

// Server is an in-process Anthropic Messages API server. All methods are
// safe for concurrent use.
type Server struct {
	t    testing.TB
	cfg  config
	srv  *httptest.Server
	done chan struct{} // closed when the server closes: blocked handlers return
	once sync.Once
	ids  atomic.Int64

	script wiretest.Script[int, Reply] // one key: messages
	log    wiretest.Log[Request]
}

// New starts a server; t.Cleanup closes it.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{
		t:    t,
		cfg:  newConfig(opts),
		done: make(chan struct{}),
	}
	if s.cfg.def != nil {
		s.script.SetDefault(messages, *s.cfg.def)
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	t.Cleanup(s.Close)
	return s
}

// URL is the API base URL, without "/v1" (the SDK adds "v1/messages"): put
// it in option.WithBaseURL or ANTHROPIC_BASE_URL.
func (s *Server) URL() string { return s.srv.URL }

// HTTPClient is an *http.Client for this server whose idle connections are
// closed when the server closes (so connection goroutines do not outlive
// the test).
func (s *Server) HTTPClient() *http.Client { return s.srv.Client() }

// Close stops the server: handlers blocked in Hang, StallStream or a delay
// return, and Close waits for all handlers to finish. It is called by
// t.Cleanup; calling it again does nothing.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.done)
		s.srv.Close()
	})
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req := Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), ctx: r.Context()}
	if len(body) > 0 {
		req.Body = body
	}
	route := r.URL.Path == Path
	var parseErr *apiError
	if route && r.Method == http.MethodPost {
		parseErr = req.parse()
	}
	s.record(req)

	w.Header().Set("request-id", fmt.Sprintf("req_anthropictest_%d", s.ids.Add(1)))
	w.Header().Set("anthropic-organization-id", "org-anthropictest")

	switch {
	case s.cfg.apiKey != "" && r.Header.Get("X-Api-Key") == "":
		writeError(w, http.StatusUnauthorized, &apiError{Type: "authentication_error", Message: "x-api-key header is required"})
	case s.cfg.apiKey != "" && r.Header.Get("X-Api-Key") != s.cfg.apiKey:
		writeError(w, http.StatusUnauthorized, &apiError{Type: "authentication_error", Message: "invalid x-api-key"})
	case !route:
		writeError(w, http.StatusNotFound, &apiError{Type: "not_found_error", Message: "Not Found"})
	case r.Method != http.MethodPost:
		writeError(w, http.StatusMethodNotAllowed, &apiError{Type: "invalid_request_error", Message: "Method Not Allowed"})
	case r.Header.Get("Anthropic-Version") == "":
		writeError(w, http.StatusBadRequest, &apiError{Type: "invalid_request_error", Message: "anthropic-version: header is required"})
	case parseErr != nil:
		writeError(w, http.StatusBadRequest, parseErr)
	default:
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.serveReply(w, r, &req, s.next(), 0)
	}
}

// serveReply writes reply as the answer to req.
func (s *Server) serveReply(w http.ResponseWriter, r *http.Request, req *Request, reply Reply, depth int) {
	if reply.delay > 0 && !s.sleep(r.Context(), reply.delay) {
		return
	}
	for k, vs := range reply.header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	switch reply.kind {
	case kindFunc:
		if depth >= maxFuncDepth {
			s.misuse(w, req, "Func replies nested more than %d levels", maxFuncDepth)
			return
		}
		s.serveReply(w, r, req, reply.fn(req), depth+1)
	case kindHandler:
		reply.handler.ServeHTTP(w, r)
	case kindHang:
		s.wait(r.Context())
	case kindError:
		writeError(w, reply.status, reply.apiErr)
	case kindRaw:
		w.Header().Set("Content-Type", reply.rawType)
		w.WriteHeader(reply.status)
		_, _ = io.WriteString(w, reply.rawBody)
	case kindMessage, kindCut, kindStall, kindStreamError:
		s.serveMessage(w, r, req, reply)
	default:
		s.misuse(w, req, "a %s reply cannot answer %s", reply.kind, req.Path)
	}
}

// misuse reports a scripting mistake: the test fails and the client gets a 500.
func (s *Server) misuse(w http.ResponseWriter, req *Request, format string, args ...any) {
	msg := "anthropictest: " + fmt.Sprintf(format, args...)
	s.t.Errorf("%s (request %s %s)", msg, req.Method, req.Path)
	writeError(w, http.StatusInternalServerError, &apiError{Type: "api_error", Message: msg})
}

// sleep waits d; false if the client gave up or the server closed first.
func (s *Server) sleep(ctx context.Context, d time.Duration) bool {
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return true
	case <-ctx.Done():
	case <-s.done:
	}
	return false
}

// wait blocks until the client gives up or the server closes.
func (s *Server) wait(ctx context.Context) {
	select {
	case <-ctx.Done():
	case <-s.done:
	}
}

package geminitest

import (
	"bytes"
	"context"
	"fmt"
	"github.com/chorus-go/chorus/internal/wiretest"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Endpoint names a reply queue of the server.
type Endpoint string

// The server's endpoints.
const (
	// EndpointChat is models/{model}:generateContent and
	// models/{model}:streamGenerateContent.
	EndpointChat Endpoint = "generateContent"
	// EndpointEmbed is models/{model}:embedContent and
	// models/{model}:batchEmbedContents.
	EndpointEmbed Endpoint = "embedContent"
)

// MaxBatchEmbed is the most requests one batchEmbedContents may hold, as
// the Gemini API documents; more get a 400 INVALID_ARGUMENT.
const MaxBatchEmbed = 100

// maxFuncDepth bounds Func replies returning Func replies.
const maxFuncDepth = 8

// Server is an in-process Gemini API server. Its methods are safe for
// concurrent use.
type Server struct {
	t    testing.TB
	cfg  config
	srv  *httptest.Server
	done chan struct{} // closed when the server closes: blocked handlers return
	once sync.Once
	ids  atomic.Int64

	mu            sync.Mutex
	script        wiretest.Script[Endpoint, Reply] // its own lock
	log           wiretest.Log[Request]            // its own lock
	embedRequests int
	embedInputs   int
}

// New starts a server; t.Cleanup closes it.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{
		t: t, cfg: newConfig(opts), done: make(chan struct{})}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	t.Cleanup(s.Close)
	return s
}

// URL is the base URL, without the API version: put it in
// genai.HTTPOptions.BaseURL.
func (s *Server) URL() string { return s.srv.URL + "/" }

// HTTPClient is an *http.Client for this server whose idle connections
// close with it.
func (s *Server) HTTPClient() *http.Client { return s.srv.Client() }

// Close stops the server: blocked handlers return, and Close waits for
// every handler. t.Cleanup calls it; calling it again does nothing.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.done)
		s.srv.Close()
	})
}

// route splits /{version}/models/{model}:{action}.
func route(method, path string) (ep Endpoint, model, action string, ok bool) {
	rest := strings.TrimPrefix(path, "/")
	version, rest, found := strings.Cut(rest, "/")
	if !found || (version != "v1beta" && version != "v1" && version != "v1alpha") {
		return "", "", "", false
	}
	rest, found = strings.CutPrefix(rest, "models/")
	if !found {
		return "", "", "", false
	}
	model, action, found = strings.Cut(rest, ":")
	if !found || model == "" || method != http.MethodPost {
		return "", "", "", false
	}
	switch action {
	case "generateContent", "streamGenerateContent":
		return EndpointChat, model, action, true
	case "embedContent", "batchEmbedContents":
		return EndpointEmbed, model, action, true
	}
	return "", "", "", false
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req := Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
		Header: r.Header.Clone(), Body: body, ctx: r.Context()}
	ep, model, action, ok := route(r.Method, r.URL.Path)
	req.Model, req.Action = model, action
	var parseErr *apiError
	if ok {
		parseErr = req.parse(ep)
	}
	s.record(req)
	w.Header().Set("X-Gemini-Service-Tier", "standard")
	w.Header().Set("Server-Timing", fmt.Sprintf("gfet4t7; dur=%d", s.ids.Add(1)))
	key := r.Header.Get("X-Goog-Api-Key")
	if key == "" {
		key = r.URL.Query().Get("key")
	}
	switch {
	case s.cfg.apiKey != "" && key == "":
		writeError(w, missingKeyError())
	case s.cfg.apiKey != "" && key != s.cfg.apiKey:
		writeError(w, invalidKeyError())
	case !ok:
		writeError(w, notFoundPath(r.Method, r.URL.Path))
	case parseErr != nil:
		writeError(w, parseErr)
	default:
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.serveReply(w, r, &req, ep, s.next(ep), 0)
	}
}

// serveReply writes reply as the answer to req.
func (s *Server) serveReply(w http.ResponseWriter, r *http.Request, req *Request, ep Endpoint, reply Reply, depth int) {
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
		s.serveReply(w, r, req, ep, reply.fn(req), depth+1)
	case kindHandler:
		reply.handler.ServeHTTP(w, r)
	case kindHang:
		s.wait(r.Context())
	case kindError:
		e := *reply.apiErr
		e.Code = reply.status
		writeError(w, &e)
	case kindRaw:
		w.Header().Set("Content-Type", reply.rawType)
		w.WriteHeader(reply.status)
		_, _ = io.WriteString(w, reply.rawBody)
	case kindGenerate, kindCut, kindStall, kindStreamError:
		if ep != EndpointChat && reply.kind != kindCut {
			s.misuse(w, req, "a %s reply cannot answer %s", reply.kind, req.Action)
			return
		}
		s.serveGenerate(w, r, req, reply)
	case kindEmbeddings, kindHashEmbed:
		if ep != EndpointEmbed {
			s.misuse(w, req, "a %s reply cannot answer %s", reply.kind, req.Action)
			return
		}
		s.serveEmbed(w, req, reply)
	default:
		s.misuse(w, req, "a %s reply cannot answer %s", reply.kind, req.Action)
	}
}

// misuse reports a scripting mistake: the test fails, the client gets a 500.
func (s *Server) misuse(w http.ResponseWriter, req *Request, format string, args ...any) {
	msg := "geminitest: " + fmt.Sprintf(format, args...)
	s.t.Errorf("%s (request %s %s)", msg, req.Method, req.Path)
	writeError(w, &apiError{Code: http.StatusInternalServerError, Status: "INTERNAL", Message: msg})
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

package openaitest

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

	openai "github.com/sashabaranov/go-openai"
)

// Endpoint names one of the server's endpoints; it keys the reply queues.
type Endpoint string

// The endpoints the server answers.
const (
	// EndpointChat is POST /v1/chat/completions.
	EndpointChat Endpoint = "/v1/chat/completions"
	// EndpointEmbeddings is POST /v1/embeddings.
	EndpointEmbeddings Endpoint = "/v1/embeddings"
	// EndpointModels is GET /v1/models and GET /v1/models/{id}.
	EndpointModels Endpoint = "/v1/models"
)

// maxFuncDepth bounds Func replies returning Func replies.
const maxFuncDepth = 8

// Server is an in-process OpenAI API server. All methods are safe for
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
		t:    t,
		cfg:  newConfig(opts),
		done: make(chan struct{}),
	}
	for ep, r := range s.cfg.defaults {
		s.script.SetDefault(ep, r)
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	t.Cleanup(s.Close)
	return s
}

// URL is the API base URL, ending in "/v1": put it in
// openai.ClientConfig.BaseURL (or OPENAI_BASE_URL).
func (s *Server) URL() string { return s.srv.URL + "/v1" }

// HTTPClient is an *http.Client for this server whose idle connections are
// closed when the server closes (so connection goroutines do not outlive
// the test).
func (s *Server) HTTPClient() *http.Client { return s.srv.Client() }

// ClientConfig is a go-openai configuration for this server: the given API
// key, BaseURL set to URL() and HTTPClient set to HTTPClient().
func (s *Server) ClientConfig(apiKey string) openai.ClientConfig {
	c := openai.DefaultConfig(apiKey)
	c.BaseURL = s.URL()
	c.HTTPClient = s.HTTPClient()
	return c
}

// Close stops the server: handlers blocked in Hang, StallStream or a delay
// return, and Close waits for all handlers to finish. It is called by
// t.Cleanup; calling it again does nothing.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.done)
		s.srv.Close()
	})
}

func route(method, path string) (Endpoint, bool) {
	switch {
	case path == string(EndpointChat):
		return EndpointChat, method == http.MethodPost
	case path == string(EndpointEmbeddings):
		return EndpointEmbeddings, method == http.MethodPost
	case path == string(EndpointModels) || strings.HasPrefix(path, string(EndpointModels)+"/"):
		return EndpointModels, method == http.MethodGet
	}
	return "", false
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req := Request{
		Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
		Header: r.Header.Clone(), ctx: r.Context(),
	}
	if len(body) > 0 {
		req.Body = body
	}
	ep, ok := route(r.Method, r.URL.Path)
	var parseErr *apiError
	if ok {
		parseErr = req.parseBody(ep)
	}
	s.record(req)

	w.Header().Set("x-request-id", fmt.Sprintf("req_openaitest_%d", s.ids.Add(1)))
	w.Header().Set("openai-version", "2020-10-01")
	w.Header().Set("openai-processing-ms", "1")

	switch {
	case s.cfg.apiKey != "" && !s.authorized(r):
		e := invalidKeyError(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
		if r.Header.Get("Authorization") == "" {
			e = missingKeyError()
		}
		writeError(w, http.StatusUnauthorized, e)
	case !ok:
		writeError(w, http.StatusNotFound, invalidURLError(r.Method, r.URL.Path))
	case parseErr != nil:
		writeError(w, http.StatusBadRequest, parseErr)
	default:
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.serveReply(w, r, &req, ep, s.next(ep), 0)
	}
}

func (s *Server) authorized(r *http.Request) bool {
	return r.Header.Get("Authorization") == "Bearer "+s.cfg.apiKey
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
		writeError(w, reply.status, reply.apiErr)
	case kindRaw:
		w.Header().Set("Content-Type", reply.rawType)
		w.WriteHeader(reply.status)
		_, _ = io.WriteString(w, reply.rawBody)
	case kindChat, kindCut, kindStall, kindStreamError:
		if ep != EndpointChat && reply.kind != kindCut {
			s.misuse(w, req, "a %s reply cannot answer %s", reply.kind, req.Path)
			return
		}
		s.serveChat(w, r, req, ep, reply)
	case kindEmbeddings, kindHashEmbed:
		if ep != EndpointEmbeddings {
			s.misuse(w, req, "a %s reply cannot answer %s", reply.kind, req.Path)
			return
		}
		s.serveEmbeddings(w, req, reply)
	case kindModels:
		if ep != EndpointModels {
			s.misuse(w, req, "a %s reply cannot answer %s", reply.kind, req.Path)
			return
		}
		serveModels(w, req, reply.models)
	default:
		s.misuse(w, req, "a %s reply cannot answer %s", reply.kind, req.Path)
	}
}

// misuse reports a scripting mistake: the test fails and the client gets a 500.
func (s *Server) misuse(w http.ResponseWriter, req *Request, format string, args ...any) {
	msg := "openaitest: " + fmt.Sprintf(format, args...)
	s.t.Errorf("%s (request %s %s)", msg, req.Method, req.Path)
	writeError(w, http.StatusInternalServerError, newAPIError("server_error", "", msg))
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

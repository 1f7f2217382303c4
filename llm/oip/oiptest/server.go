package oiptest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is an in-process Open Inference Protocol server. Its methods are
// safe for concurrent use.
type Server struct {
	srv    *httptest.Server
	done   chan struct{}
	once   sync.Once
	models map[string]*Model

	mu          sync.Mutex
	notReady    map[string]bool
	serverDown  bool
	nested      bool
	script      []scripted
	requests    []Request
	inferCalled int
}

// Request is a request the server received.
type Request struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
}

type scripted struct {
	status     int
	message    string
	retryAfter time.Duration
	hang       bool
}

// NewServer starts a server for the models; Close stops it. It panics if
// two models have the same name or a model has no name or no Infer
// function, as httptest.NewServer panics on failure.
func NewServer(models ...Model) *Server {
	s := &Server{done: make(chan struct{}), models: map[string]*Model{}, notReady: map[string]bool{}}
	for i := range models {
		m := models[i]
		if m.Name == "" || m.Infer == nil {
			panic(fmt.Sprintf("oiptest: model %d needs a Name and an Infer function", i))
		}
		if _, dup := s.models[m.Name]; dup {
			panic(fmt.Sprintf("oiptest: model %q given twice", m.Name))
		}
		s.models[m.Name] = &m
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	return s
}

// New starts a server for the models and closes it when the test ends.
func New(t testing.TB, models ...Model) *Server {
	t.Helper()
	s := NewServer(models...)
	t.Cleanup(s.Close)
	return s
}

// URL is the server's base URL, for oip.New.
func (s *Server) URL() string { return s.srv.URL }

// Client is an *http.Client for the server whose idle connections close
// with it.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Close releases hanging requests and stops the server. Calling it again
// does nothing.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.done)
		s.srv.Close()
	})
}

// SetReady marks a model ready (the default) or not: a model that is not
// ready fails its readiness check and answers inference with 503.
func (s *Server) SetReady(model string, ready bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notReady[model] = !ready
}

// SetServerReady marks the server ready (the default) or not, for
// /v2/health/ready. The server is ready only when every model is too.
func (s *Server) SetServerReady(ready bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.serverDown = !ready
}

// SetNestedOutputs makes the server send output data as nested arrays
// following the shape ([[1, 2], [3, 4]]) instead of flat ones.
func (s *Server) SetNestedOutputs(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nested = on
}

// Fail queues a failure: the next inference request that reaches a
// known, ready model is answered with status, the body {"error": message}
// and, when retryAfter > 0, Retry-After in whole seconds.
func (s *Server) Fail(status int, message string, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script = append(s.script, scripted{status: status, message: message, retryAfter: retryAfter})
}

// Hang queues an answer that never comes: the next inference request is
// held until the client gives up or the server closes.
func (s *Server) Hang() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script = append(s.script, scripted{hang: true})
}

// Requests returns every request received, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Inferences returns how many inference requests reached a model's Infer
// function.
func (s *Server) Inferences() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inferCalled
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
	s.mu.Unlock()

	path := strings.TrimSuffix(r.URL.Path, "/")
	switch {
	case path == "/v2" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]any{"name": "oiptest", "version": "1", "extensions": []string{}})
	case path == "/v2/health/live" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, map[string]bool{"live": true})
	case path == "/v2/health/ready" && r.Method == http.MethodGet:
		if !s.serverReady() {
			writeJSON(w, http.StatusServiceUnavailable, map[string]bool{"ready": false})
			return
		}
		writeJSON(w, http.StatusOK, map[string]bool{"ready": true})
	case strings.HasPrefix(path, "/v2/models/"):
		s.serveModel(w, r, strings.TrimPrefix(path, "/v2/models/"), body)
	default:
		writeError(w, http.StatusNotFound, "Not Found")
	}
}

func (s *Server) serverReady() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.serverDown {
		return false
	}
	for _, down := range s.notReady {
		if down {
			return false
		}
	}
	return true
}

// serveModel routes {name}[/versions/{v}][/ready|/infer].
func (s *Server) serveModel(w http.ResponseWriter, r *http.Request, rest string, body []byte) {
	parts := strings.Split(rest, "/")
	name, version, action := parts[0], "", ""
	parts = parts[1:]
	if len(parts) >= 2 && parts[0] == "versions" {
		version, parts = parts[1], parts[2:]
	}
	if len(parts) == 1 {
		action, parts = parts[0], parts[1:]
	}
	if len(parts) != 0 || (action != "" && action != "ready" && action != "infer") {
		writeError(w, http.StatusNotFound, "Not Found")
		return
	}
	m, ok := s.models[name]
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("Request for unknown model: '%s' is not found", name))
		return
	}
	if version != "" && version != m.Version {
		writeError(w, http.StatusNotFound, fmt.Sprintf("Request for unknown model: '%s' version %s is not found", name, version))
		return
	}
	s.mu.Lock()
	ready := !s.notReady[name]
	s.mu.Unlock()
	switch {
	case action == "" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, metadata(m))
	case action == "ready" && r.Method == http.MethodGet:
		if !ready {
			writeError(w, http.StatusServiceUnavailable, fmt.Sprintf("model '%s' is not ready", name))
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"name": name, "ready": true})
	case action == "infer" && r.Method == http.MethodPost:
		if !ready {
			writeError(w, http.StatusServiceUnavailable, fmt.Sprintf("model '%s' is not ready", name))
			return
		}
		s.serveInfer(w, r, m, body)
	default:
		writeError(w, http.StatusMethodNotAllowed, "Method Not Allowed")
	}
}

func metadata(m *Model) map[string]any {
	md := map[string]any{"name": m.Name, "platform": m.Platform, "inputs": m.Inputs, "outputs": m.Outputs}
	if m.Version != "" {
		md["versions"] = []string{m.Version}
	}
	return md
}

// next takes the next scripted answer, if any.
func (s *Server) next() (scripted, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.script) == 0 {
		return scripted{}, false
	}
	sc := s.script[0]
	s.script = s.script[1:]
	return sc, true
}

func (s *Server) serveInfer(w http.ResponseWriter, r *http.Request, m *Model, body []byte) {
	if sc, ok := s.next(); ok {
		if sc.hang {
			select {
			case <-r.Context().Done():
			case <-s.done:
			}
			return
		}
		if sc.retryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(sc.retryAfter.Seconds())))
		}
		writeError(w, sc.status, sc.message)
		return
	}
	req, err := parseRequest(body, m)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mu.Lock()
	s.inferCalled++
	nested := s.nested
	s.mu.Unlock()
	outs, err := m.Infer(req.inputs)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	resp := map[string]any{"model_name": m.Name, "outputs": []any{}}
	if m.Version != "" {
		resp["model_version"] = m.Version
	}
	if req.ID != "" {
		resp["id"] = req.ID
	}
	var wire []any
	for _, o := range outs {
		if len(req.outputs) > 0 && !slices.Contains(req.outputs, o.Name) {
			continue
		}
		t, err := encodeOutput(o, nested)
		if err != nil {
			writeError(w, http.StatusInternalServerError, "oiptest: model "+m.Name+": "+err.Error())
			return
		}
		wire = append(wire, t)
	}
	if wire != nil {
		resp["outputs"] = wire
	}
	writeJSON(w, http.StatusOK, resp)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		_ = json.NewEncoder(&buf).Encode(map[string]string{"error": "oiptest: " + err.Error()})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// writeError sends the protocol's error body.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

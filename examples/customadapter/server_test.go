package customadapter_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"
)

// fakeServer is an in-process TinyChat server: it speaks the wire format
// of the API's documentation, answers with scripted replies in order (an
// echo of the last message when none is left) and records what it
// received. Writing one is the first step of an adapter: the adapter's
// tests, and the conformance kit, drive the real HTTP client against it.
type fakeServer struct {
	srv  *httptest.Server
	done chan struct{}
	once sync.Once

	mu       sync.Mutex
	script   []fakeReply
	received []received
}

// fakeReply is one scripted answer: text, an error status, or a hang.
type fakeReply struct {
	output     string
	status     int
	message    string
	retryAfter time.Duration
	hang       bool
}

// received is a request as the server decoded it.
type received struct {
	Model      string `json:"model"`
	Messages   []struct{ Role, Content string }
	JSONSchema json.RawMessage `json:"json_schema"`
}

func newFakeServer() *fakeServer {
	s := &fakeServer{done: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/complete", s.complete)
	s.srv = httptest.NewServer(mux)
	return s
}

// close releases hanging requests and stops the server.
func (s *fakeServer) close() {
	s.once.Do(func() {
		close(s.done)
		s.srv.Close()
	})
}

func (s *fakeServer) reply(r fakeReply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script = append(s.script, r)
}

func (s *fakeServer) requests() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.received...)
}

func (s *fakeServer) complete(w http.ResponseWriter, r *http.Request) {
	var req received
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Model == "" || len(req.Messages) == 0 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]string{"message": "invalid request", "type": "invalid_request"}})
		return
	}
	s.mu.Lock()
	s.received = append(s.received, req)
	next := fakeReply{output: req.Messages[len(req.Messages)-1].Content}
	if len(s.script) > 0 {
		next, s.script = s.script[0], s.script[1:]
	}
	s.mu.Unlock()
	switch {
	case next.hang:
		select {
		case <-r.Context().Done():
		case <-s.done:
		}
	case next.status != 0:
		if next.retryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(next.retryAfter.Seconds())))
		}
		writeJSON(w, next.status, map[string]any{"error": map[string]string{"message": next.message, "type": http.StatusText(next.status)}})
	default:
		writeJSON(w, http.StatusOK, map[string]any{
			"output": next.output, "stop_reason": "end",
			"usage": map[string]int{"in": len(req.Messages), "out": len(next.output) / 4},
		})
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

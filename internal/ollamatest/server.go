package ollamatest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ollama/ollama/api"
)

// Server is an in-process Ollama server for tests. Create it with [New];
// all methods are safe for concurrent use.
type Server struct {
	t         testing.TB
	cfg       config
	srv       *httptest.Server
	url       *url.URL
	installed map[string]bool // nil: every model is installed
	done      chan struct{}   // closed when the test ends
	calls     atomic.Int64    // tool call IDs handed out

	mu         sync.Mutex
	requests   []Request
	queue      []Reply
	embedQueue []Reply
}

// New starts a server and registers its shutdown with t.Cleanup. Handlers
// still hanging or stalled when the test ends are released before the
// server closes, so no goroutine outlives the test.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	cfg := config{
		chunkSize: DefaultChunkSize,
		embedDim:  DefaultEmbedDim,
		version:   DefaultVersion,
	}
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{t: t, cfg: cfg, done: make(chan struct{})}
	if cfg.models != nil {
		s.installed = map[string]bool{}
		for _, m := range cfg.models {
			s.installed[canonicalModel(m)] = true
		}
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	u, err := url.Parse(s.srv.URL)
	if err != nil {
		s.srv.Close()
		t.Fatalf("ollamatest: parse server URL %q: %v", s.srv.URL, err)
	}
	s.url = u
	t.Cleanup(func() {
		close(s.done)
		s.srv.Close()
	})
	return s
}

// URL returns the server's base URL (http://127.0.0.1:PORT), the value an
// OLLAMA_HOST setting would have. The caller gets its own copy.
func (s *Server) URL() *url.URL {
	u := *s.url
	return &u
}

// Client returns a real api client for the server, built with
// api.NewClient and an http.Client whose idle connections are closed with
// the server.
func (s *Server) Client() *api.Client {
	return api.NewClient(s.URL(), s.HTTPClient())
}

// HTTPClient returns the http.Client that [Server.Client] uses, for callers
// that build their own api client.
func (s *Server) HTTPClient() *http.Client {
	return s.srv.Client()
}

// Enqueue appends scripted replies for /api/chat and /api/generate. Each
// request takes the oldest reply; when none is left the default handler
// answers (see [WithDefault]). Requests the server rejects itself (bad body,
// unknown model) and load requests (no messages, empty prompt) take none.
func (s *Server) Enqueue(replies ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, replies...)
}

// EnqueueEmbed appends scripted replies for /api/embed and /api/embeddings.
// Meaningful replies there are [Default] (vectors), [Error], [Raw], [Hang],
// [Cut] (connection aborted), [Func] and the WithDelay and WithHeader
// refinements; a message reply such as [Text] fails the test.
func (s *Server) EnqueueEmbed(replies ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.embedQueue = append(s.embedQueue, replies...)
}

// Pending returns how many scripted replies are still queued for
// generation (chat and generate) and for embeddings.
func (s *Server) Pending() (generation, embed int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue), len(s.embedQueue)
}

// Requests returns every request received so far, in arrival order,
// including ones still being answered and ones that were rejected.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// EmbedRequests returns the requests to /api/embed and /api/embeddings, in
// arrival order. len() of the result is the number of embedding calls;
// [Request.Inputs] gives each call's texts.
func (s *Server) EmbedRequests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Request
	for _, r := range s.requests {
		if r.Path == "/api/embed" || r.Path == "/api/embeddings" {
			out = append(out, r)
		}
	}
	return out
}

// EmbedInputCount returns the total number of texts received by the
// embedding endpoints, over all requests.
func (s *Server) EmbedInputCount() int {
	n := 0
	for _, r := range s.EmbedRequests() {
		n += len(r.Inputs())
	}
	return n
}

// serveHTTP records the request and routes it.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	rec := Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body}
	route := r.Method + " " + r.URL.Path
	switch route {
	case "POST /api/chat":
		rec.Chat = new(api.ChatRequest)
		rec.DecodeError = decodeBody(body, rec.Chat)
	case "POST /api/generate":
		rec.Generate = new(api.GenerateRequest)
		rec.DecodeError = decodeBody(body, rec.Generate)
	case "POST /api/embed":
		rec.Embed = new(api.EmbedRequest)
		rec.DecodeError = decodeBody(body, rec.Embed)
	case "POST /api/embeddings":
		rec.Embeddings = new(api.EmbeddingRequest)
		rec.DecodeError = decodeBody(body, rec.Embeddings)
	case "POST /api/show":
		rec.Show = new(api.ShowRequest)
		rec.DecodeError = decodeBody(body, rec.Show)
	}
	s.mu.Lock()
	s.requests = append(s.requests, rec)
	s.mu.Unlock()

	switch route {
	case "GET /", "HEAD /":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		if r.Method == http.MethodGet {
			io.WriteString(w, "Ollama is running")
		}
	case "GET /api/version", "HEAD /api/version":
		writeJSON(w, http.StatusOK, map[string]string{"version": s.cfg.version})
	case "GET /api/tags":
		s.serveTags(w)
	case "POST /api/show":
		s.serveShow(w, rec)
	case "POST /api/chat":
		s.serveChat(w, r, rec)
	case "POST /api/generate":
		s.serveGenerate(w, r, rec)
	case "POST /api/embed":
		s.serveEmbed(w, r, rec)
	case "POST /api/embeddings":
		s.serveEmbeddings(w, r, rec)
	default:
		// Ollama's router (gin) answers unknown routes and methods this way.
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, "404 page not found")
	}
}

// decodeBody decodes a JSON body as Ollama's handlers do.
func decodeBody(body []byte, v any) error {
	if len(body) == 0 {
		return errMissingBody
	}
	return json.Unmarshal(body, v)
}

var errMissingBody = errors.New("missing request body")

// writeJSON writes v with the status, as gin's c.JSON does.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":"ollamatest: cannot encode response"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
}

// writeError writes Ollama's error body {"error": msg}.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// writeDecodeError answers a body that did not decode, as Ollama does.
func writeDecodeError(w http.ResponseWriter, err error) {
	writeError(w, http.StatusBadRequest, err.Error())
}

// wait sleeps d; it reports false if the request ended or the server is
// closing first.
func (s *Server) wait(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.done:
		return false
	}
}

// hang blocks until the request ends or the server closes, then aborts the
// connection so that a still-waiting client sees a broken response rather
// than an empty success.
func (s *Server) hang(ctx context.Context) {
	select {
	case <-ctx.Done():
	case <-s.done:
	}
	panic(http.ErrAbortHandler)
}

// next takes the oldest reply of a queue, or returns Default.
func (s *Server) next(q *[]Reply) Reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(*q) == 0 {
		return Default()
	}
	r := (*q)[0]
	(*q)[0] = Reply{}
	*q = (*q)[1:]
	return r
}

// maxFuncDepth bounds Func replies returning Func replies.
const maxFuncDepth = 8

// resolve replaces Func replies by their result and Default replies by the
// answer of the first remaining default handler (each is used at most
// once). A Default left over means the endpoint's built-in answer. The
// delays and headers of replaced replies are kept.
func resolve(rep Reply, rec Request, defaults ...func(Request) Reply) Reply {
	var delay time.Duration
	header := http.Header{}
loop:
	for depth := 0; depth < maxFuncDepth; depth++ {
		var next Reply
		switch {
		case rep.kind == kindFunc && rep.fn != nil:
			next = rep.fn(rec)
		case rep.kind == kindFunc:
			next = Default()
		case rep.kind == kindDefault && len(defaults) > 0:
			next = defaults[0](rec)
			defaults = defaults[1:]
		default:
			break loop
		}
		delay += rep.delay
		for k, vs := range rep.header {
			header[k] = append(header[k], vs...)
		}
		rep = next
	}
	if rep.kind == kindFunc {
		return Error(http.StatusInternalServerError, "ollamatest: Func replies nested too deeply")
	}
	rep.delay += delay
	for k, vs := range header {
		for _, v := range vs {
			rep = rep.WithHeader(k, v)
		}
	}
	return rep
}

// start applies the reply's delay and headers; it reports false if the
// request ended during the delay.
func (s *Server) start(w http.ResponseWriter, r *http.Request, rep Reply) bool {
	if rep.delay > 0 && !s.wait(r.Context(), rep.delay) {
		return false
	}
	for k, vs := range rep.header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	return true
}

// serveStatusReply answers the kinds every endpoint shares; it reports
// whether it handled rep.
func (s *Server) serveStatusReply(w http.ResponseWriter, r *http.Request, rep Reply) bool {
	switch rep.kind {
	case kindError:
		writeError(w, rep.status, rep.message)
	case kindRaw:
		if rep.ctype != "" {
			w.Header().Set("Content-Type", rep.ctype)
		}
		w.WriteHeader(rep.status)
		io.WriteString(w, rep.body)
	case kindHang:
		s.hang(r.Context())
	default:
		return false
	}
	return true
}

package serve_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/serve"
)

// gate is a chain that holds each call until released, and says when a
// call has started.
type gate struct {
	started chan struct{}
	release chan struct{}
}

func newGate() *gate { return &gate{started: make(chan struct{}, 16), release: make(chan struct{})} }

func (g *gate) Run(ctx context.Context, in Req) (Resp, error) {
	g.started <- struct{}{}
	select {
	case <-g.release:
	case <-ctx.Done():
		return Resp{}, ctx.Err()
	}
	return upper(in), nil
}

// rejections records what a reject hook is told.
type rejections struct {
	mu   sync.Mutex
	seen []serve.Rejection
}

func (r *rejections) hook(_ context.Context, rej serve.Rejection) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen = append(r.seen, rej)
}

func (r *rejections) list() []serve.Rejection {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]serve.Rejection(nil), r.seen...)
}

// TestInFlightLimits: with an endpoint's limit reached, the next POST is
// refused at once with 429 and Retry-After; with the Mux's limit reached,
// with 503 and Retry-After, on every endpoint; /healthz, /readyz and
// /schema still answer; the hooks see each rejection; once the calls in
// flight end, requests go through again.
func TestInFlightLimits(t *testing.T) {
	g := newGate()
	var epRej, muxRej rejections
	mux := serve.MustMux(serve.WithMuxMaxInFlight(3), serve.WithMuxOnReject(muxRej.hook))
	mux.Mount("/a", mustHandler(t, chain.Chain[Req, Resp](g), serve.WithMaxInFlight(2), serve.WithOnReject(epRej.hook)))
	mux.Mount("/b", mustHandler(t, chain.Chain[Req, Resp](g)))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c := srv.Client()

	var wg sync.WaitGroup
	held := func(path string) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r := do(t, c, "POST", srv.URL+path, "application/json", `{"text":"held"}`); r.status != 200 {
				t.Errorf("held call on %s: %d %s", path, r.status, r.body)
			}
		}()
		<-g.started
	}
	held("/a")
	held("/a")

	r := do(t, c, "POST", srv.URL+"/a", "application/json", `{"text":"x"}`)
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "1" || r.errorBody(t).Code != serve.CodeTooManyRequests {
		t.Errorf("endpoint full: %d Retry-After=%q %s", r.status, r.header.Get("Retry-After"), r.body)
	}
	// Another endpoint still has room under the Mux's limit.
	held("/b")
	r = do(t, c, "POST", srv.URL+"/b", "application/json", `{"text":"x"}`)
	if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") != "1" || r.errorBody(t).Code != serve.CodeOverloaded {
		t.Errorf("mux full: %d Retry-After=%q %s", r.status, r.header.Get("Retry-After"), r.body)
	}
	for _, path := range []string{"/healthz", "/readyz", "/a/schema", "/b/graph"} {
		if r := do(t, c, "GET", srv.URL+path, "", ""); r.status != 200 {
			t.Errorf("GET %s while full: %d %s", path, r.status, r.body)
		}
	}

	close(g.release)
	wg.Wait()
	for _, path := range []string{"/a", "/b"} {
		if r := do(t, c, "POST", srv.URL+path, "application/json", `{"text":"x"}`); r.status != 200 {
			t.Errorf("after release, %s: %d %s", path, r.status, r.body)
		}
	}
	if got := epRej.list(); len(got) != 1 || got[0] != (serve.Rejection{Path: "/a", Scope: "endpoint", Limit: 2, Status: 429}) {
		t.Errorf("endpoint rejections %+v", got)
	}
	if got := muxRej.list(); len(got) != 1 || got[0] != (serve.Rejection{Path: "/b", Scope: "mux", Limit: 3, Status: 503}) {
		t.Errorf("mux rejections %+v", got)
	}
}

// TestInFlightCountsStreams: an event stream holds its slot until it
// ends.
func TestInFlightCountsStreams(t *testing.T) {
	s := &streamer{pieces: []string{"a", "b"}, block: 1, done: make(chan error, 1)}
	srv := httptest.NewServer(mustHandler(t, chain.Chain[Req, string](s), serve.WithMaxInFlight(1)))
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL, stringsReader(`{"text":"x"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	next, stop := pull(events(resp.Body))
	if e, ok := next(); !ok || e.name != "chunk" {
		t.Fatalf("first event %+v %v", e, ok)
	}
	if r := do(t, srv.Client(), "POST", srv.URL, "application/json", `{"text":"x"}`); r.status != http.StatusTooManyRequests {
		t.Errorf("while streaming: %d %s", r.status, r.body)
	}
	cancel()
	stop()
	resp.Body.Close()
	<-s.done
	// The slot comes back when the handler returns, just after the chain
	// sees the cancellation: poll generously.
	ok := false
	for range 500 {
		if r := do(t, srv.Client(), "POST", srv.URL, "application/json", `{"text":"x"}`); r.status == http.StatusOK {
			ok = true
			break
		}
		waitABit()
	}
	if !ok {
		t.Error("the slot of the cancelled stream never came back")
	}
}

// TestInFlightOptions: negative limits and nil hooks are configuration
// errors; 0 means no limit.
func TestInFlightOptions(t *testing.T) {
	for name, opt := range map[string]serve.Option{
		"WithMaxInFlight": serve.WithMaxInFlight(-1),
		"WithOnReject":    serve.WithOnReject(nil),
	} {
		if _, err := serve.NewEndpoint(chain.Pure(upper), opt); !isConfigErr(err, name) {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, opt := range map[string]serve.MuxOption{
		"WithMuxMaxInFlight": serve.WithMuxMaxInFlight(-1),
		"WithMuxOnReject":    serve.WithMuxOnReject(nil),
	} {
		if _, err := serve.NewMux(opt); !isConfigErr(err, name) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := serve.NewEndpoint(chain.Pure(upper), serve.WithMaxInFlight(0)); err != nil {
		t.Error(err)
	}
}

// isConfigErr reports whether err matches chain.ErrConfig and names the
// option.
func isConfigErr(err error, option string) bool {
	return errors.Is(err, chain.ErrConfig) && strings.Contains(err.Error(), option) && strings.HasPrefix(err.Error(), "serve.")
}

func stringsReader(s string) io.Reader { return strings.NewReader(s) }

// waitABit yields for a moment between polls.
func waitABit() { time.Sleep(10 * time.Millisecond) }

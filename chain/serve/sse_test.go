package serve_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"iter"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/serve"
)

func postEvents(t *testing.T, ctx context.Context, c *http.Client, url, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, "POST", url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func chunkText(t *testing.T, e event) string {
	t.Helper()
	var c struct{ Text string }
	if err := json.Unmarshal([]byte(e.data), &c); err != nil {
		t.Fatalf("chunk data %q: %v", e.data, err)
	}
	return c.Text
}

func TestStream(t *testing.T) {
	s := &streamer{pieces: []string{"Hel", "lo, ", "wor", "ld\n!"}}
	// Through a sequence (the last stage streams) and the access log.
	c := chain.Then(chain.Pure(func(r Req) Req { return r }), chain.Chain[Req, string](s))
	log := slog.New(slog.DiscardHandler)
	srv := httptest.NewServer(serve.AccessLog(log, mustHandler(t, c)))
	defer srv.Close()

	resp := postEvents(t, context.Background(), srv.Client(), srv.URL, `{"text":"a"}`)
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	evs := readEvents(t, resp.Body)
	var got []string
	for _, e := range evs[:len(evs)-1] {
		if e.name != "chunk" {
			t.Fatalf("event %q before the end: %v", e.name, evs)
		}
		got = append(got, chunkText(t, e))
	}
	if strings.Join(got, "|") != "Hel|lo, |wor|ld\n!" {
		t.Errorf("chunks %q", got)
	}
	if last := evs[len(evs)-1]; last.name != "done" || last.data != "{}" {
		t.Errorf("last event %+v", last)
	}

	// Without the Accept header the same endpoint answers JSON.
	r := do(t, srv.Client(), "POST", srv.URL, "application/json", `{"text":"a"}`)
	if r.status != 200 || strings.TrimSpace(r.body) != `{"value":"Hello, world\n!"}` {
		t.Errorf("JSON reply %d %s", r.status, r.body)
	}
}

func TestStreamChunksArriveOneByOne(t *testing.T) {
	// Each chunk is flushed as it comes: the client sees the first one
	// while the chain is still waiting to produce the second.
	release := make(chan struct{})
	c := chain.Chain[Req, string](&gated{release: release})
	srv := httptest.NewServer(mustHandler(t, c))
	defer srv.Close()
	resp := postEvents(t, context.Background(), srv.Client(), srv.URL, `{"text":"a"}`)
	defer resp.Body.Close()
	next, stop := pull(events(resp.Body))
	defer stop()
	if e, ok := next(); !ok || chunkText(t, e) != "first" {
		t.Fatalf("first event %+v %v", e, ok)
	}
	close(release)
	if e, ok := next(); !ok || chunkText(t, e) != "second" {
		t.Fatalf("second event %+v %v", e, ok)
	}
	if e, ok := next(); !ok || e.name != "done" {
		t.Fatalf("last event %+v %v", e, ok)
	}
}

// gated streams "first", waits for release, then streams "second".
type gated struct{ release chan struct{} }

func (g *gated) Run(ctx context.Context, in Req) (string, error) { return "", nil }

func (g *gated) StreamText(ctx context.Context, in Req) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		if !yield("first", nil) {
			return
		}
		select {
		case <-g.release:
		case <-ctx.Done():
			yield("", ctx.Err())
			return
		}
		yield("second", nil)
	}
}

func TestStreamErrors(t *testing.T) {
	t.Run("mid-stream", func(t *testing.T) {
		s := &streamer{pieces: []string{"a", "b", "c"}, failAt: 2, err: chain.MarkRetryable(errors.New("secret 10.1.2.3"))}
		srv := httptest.NewServer(mustHandler(t, chain.Chain[Req, string](s)))
		defer srv.Close()
		resp := postEvents(t, context.Background(), srv.Client(), srv.URL, `{"text":"x"}`)
		defer resp.Body.Close()
		evs := readEvents(t, resp.Body)
		if len(evs) != 2 || evs[0].name != "chunk" || evs[1].name != "error" {
			t.Fatalf("events %+v", evs)
		}
		var b serve.ErrorBody
		if err := json.Unmarshal([]byte(evs[1].data), &b); err != nil || b.Error.Status != 503 || b.Error.Code != serve.CodeUnavailable {
			t.Errorf("error event %s: %v", evs[1].data, err)
		}
		if strings.Contains(evs[1].data, "10.1.2.3") {
			t.Errorf("internal error text in the stream: %s", evs[1].data)
		}
	})
	t.Run("before the first chunk", func(t *testing.T) {
		s := &streamer{pieces: []string{"a"}, failAt: 1, err: &chain.OpenError{Node: "b", Until: time.Now().Add(time.Minute)}}
		srv := httptest.NewServer(mustHandler(t, chain.Chain[Req, string](s)))
		defer srv.Close()
		resp := postEvents(t, context.Background(), srv.Client(), srv.URL, `{"text":"x"}`)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 503 || resp.Header.Get("Content-Type") != "application/json" || resp.Header.Get("Retry-After") != "60" {
			t.Errorf("got %d %v %s", resp.StatusCode, resp.Header, b)
		}
	})
	t.Run("invalid request", func(t *testing.T) {
		srv := httptest.NewServer(mustHandler(t, chain.Chain[Req, string](&streamer{})))
		defer srv.Close()
		resp := postEvents(t, context.Background(), srv.Client(), srv.URL, `{"text":""}`)
		resp.Body.Close()
		if resp.StatusCode != 400 {
			t.Errorf("got %d", resp.StatusCode)
		}
	})
	t.Run("not a streamer", func(t *testing.T) {
		srv := httptest.NewServer(mustHandler(t, chain.Pure(strings.ToUpper)))
		defer srv.Close()
		resp := postEvents(t, context.Background(), srv.Client(), srv.URL, `{"value":"hi"}`)
		defer resp.Body.Close()
		evs := readEvents(t, resp.Body)
		if len(evs) != 2 || chunkText(t, evs[0]) != "HI" || evs[1].name != "done" {
			t.Errorf("events %+v", evs)
		}
	})
	t.Run("panic", func(t *testing.T) {
		srv := httptest.NewServer(mustHandler(t, chain.Chain[Req, string](panicky{})))
		defer srv.Close()
		resp := postEvents(t, context.Background(), srv.Client(), srv.URL, `{"text":"x"}`)
		defer resp.Body.Close()
		evs := readEvents(t, resp.Body)
		if len(evs) != 2 || evs[1].name != "error" || !strings.Contains(evs[1].data, `"status":500`) {
			t.Errorf("events %+v", evs)
		}
	})
}

type panicky struct{}

func (panicky) Run(ctx context.Context, in Req) (string, error) { return "", nil }
func (panicky) StreamText(ctx context.Context, in Req) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		if yield("a", nil) {
			panic("boom")
		}
	}
}

func TestStreamClientDisconnects(t *testing.T) {
	s := &streamer{pieces: []string{"a", "b", "c"}, block: 1, done: make(chan error, 1)}
	srv := httptest.NewServer(mustHandler(t, chain.Chain[Req, string](s)))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	resp := postEvents(t, ctx, srv.Client(), srv.URL, `{"text":"x"}`)
	defer resp.Body.Close()
	next, stop := pull(events(resp.Body))
	if e, ok := next(); !ok || chunkText(t, e) != "a" {
		t.Fatalf("first event %+v", e)
	}
	cancel() // the client goes away mid-stream
	stop()
	select {
	case err := <-s.done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("chain's ctx ended with %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the chain's context was not cancelled")
	}
	// goleak in TestMain checks that no goroutine is left.
}

func TestStreamOutlivesWriteTimeout(t *testing.T) {
	// The server's WriteTimeout is 100ms; the stream lasts longer, each
	// event pushing the deadline forward.
	s := &streamer{pieces: []string{"a", "b", "c", "d", "e", "f"}, gap: 50 * time.Millisecond}
	srv := httptest.NewUnstartedServer(mustHandler(t, chain.Chain[Req, string](s)))
	srv.Config.WriteTimeout = 100 * time.Millisecond
	srv.Config.ReadTimeout = 100 * time.Millisecond
	srv.Start()
	defer srv.Close()
	resp := postEvents(t, context.Background(), srv.Client(), srv.URL, `{"text":"x"}`)
	defer resp.Body.Close()
	evs := readEvents(t, resp.Body)
	if len(evs) != 7 || evs[6].name != "done" {
		t.Errorf("events %+v", evs)
	}
}

// TestStreamStructOutput: a chain whose output is not text streams one
// "result" event whose data is JSON, the reply a plain POST gets, then
// "done"; every data line is valid JSON that decodes into the output
// type.
func TestStreamStructOutput(t *testing.T) {
	srv := httptest.NewServer(mustHandler(t, chain.Pure(upper)))
	defer srv.Close()
	resp := postEvents(t, context.Background(), srv.Client(), srv.URL, `{"text":"hello"}`)
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	evs := readEvents(t, resp.Body)
	if len(evs) != 2 || evs[0].name != "result" || evs[1].name != "done" {
		t.Fatalf("events %+v", evs)
	}
	for _, e := range evs {
		dec := json.NewDecoder(strings.NewReader(e.data))
		dec.DisallowUnknownFields()
		var v Resp
		if err := dec.Decode(&v); err != nil || dec.More() {
			t.Errorf("event %q: data %q does not decode into Resp: %v", e.name, e.data, err)
		}
	}
	var got Resp
	if err := json.Unmarshal([]byte(evs[0].data), &got); err != nil || got != (Resp{Text: "HELLO"}) {
		t.Errorf("result %q: %+v, %v", evs[0].data, got, err)
	}
	// The same data as the JSON reply.
	r := do(t, srv.Client(), "POST", srv.URL, "application/json", `{"text":"hello"}`)
	if strings.TrimSpace(r.body) != evs[0].data {
		t.Errorf("JSON reply %s, result event %s", r.body, evs[0].data)
	}

	// A non-object output travels as the reply does: under "value".
	list := httptest.NewServer(mustHandler(t, chain.Pure(func(r Req) []int { return []int{len(r.Text), r.Count} })))
	defer list.Close()
	resp2 := postEvents(t, context.Background(), list.Client(), list.URL, `{"text":"abc","count":2}`)
	defer resp2.Body.Close()
	evs = readEvents(t, resp2.Body)
	var wrapped struct{ Value []int }
	if len(evs) != 2 || evs[0].name != "result" || json.Unmarshal([]byte(evs[0].data), &wrapped) != nil || !slices.Equal(wrapped.Value, []int{3, 2}) {
		t.Errorf("events %+v", evs)
	}

	// A failure before the result is an ordinary JSON error reply.
	failing := httptest.NewServer(mustHandler(t, fails(chain.MarkRetryable(errors.New("down")))))
	defer failing.Close()
	resp3 := postEvents(t, context.Background(), failing.Client(), failing.URL, `{"text":"x"}`)
	defer resp3.Body.Close()
	if resp3.StatusCode != 503 || resp3.Header.Get("Content-Type") != "application/json" {
		t.Errorf("failure: %d %q", resp3.StatusCode, resp3.Header.Get("Content-Type"))
	}
}

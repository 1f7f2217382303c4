package serve_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/schema"
	"github.com/chorus-go/chorus/chain/serve"
	"github.com/chorus-go/chorus/llm"
)

type readyReply struct {
	Status string
	Checks []struct {
		Name  string
		Ready bool
		Error string
	}
}

func ready(t *testing.T, srv *httptest.Server, query string) (int, readyReply) {
	t.Helper()
	r := do(t, srv.Client(), "GET", srv.URL+"/readyz"+query, "", "")
	var body readyReply
	if err := json.Unmarshal([]byte(r.body), &body); err != nil {
		t.Fatalf("readyz body %q: %v", r.body, err)
	}
	return r.status, body
}

func TestReadinessFollowsBreaker(t *testing.T) {
	clk := newFakeClock()
	var failing atomic.Bool
	model := chain.Fn(func(ctx context.Context, r Req) (Resp, error) {
		if failing.Load() {
			return Resp{}, errors.New("model down")
		}
		return upper(r), nil
	})
	guarded := chain.Named("gpt", chain.Breaker(model, chain.Threshold(1), chain.Cooldown(10*time.Second), chain.BreakerClock(clk)))
	c := chain.Named("classify", chain.Fallback(guarded, chain.Pure(upper)))

	mux := serve.MustMux()
	mux.Mount("/classify", mustHandler(t, c))
	mux.Mount("/plain", mustHandler(t, chain.Pure(upper)))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	if status, body := ready(t, srv, ""); status != 200 || body.Status != "ready" || len(body.Checks) != 0 {
		t.Fatalf("before: %d %+v", status, body)
	}
	if status, body := ready(t, srv, "?verbose"); status != 200 || len(body.Checks) != 1 || body.Checks[0].Name != "/classify classify/gpt" {
		t.Fatalf("verbose: %d %+v", status, body)
	}

	failing.Store(true)
	if r := do(t, srv.Client(), "POST", srv.URL+"/classify", "application/json", `{"text":"a"}`); r.status != 200 {
		t.Fatalf("call through the fallback: %d %s", r.status, r.body)
	}
	status, body := ready(t, srv, "")
	if status != 503 || body.Status != "not ready" || len(body.Checks) != 1 || body.Checks[0].Name != "/classify classify/gpt" || body.Checks[0].Ready || body.Checks[0].Error != "" {
		t.Fatalf("open: %d %+v", status, body)
	}
	if _, body := ready(t, srv, "?verbose"); !strings.Contains(body.Checks[0].Error, "gpt: circuit open") {
		t.Errorf("verbose error %+v", body)
	}

	clk.Advance(11 * time.Second) // the cooldown passes: a probe may go through
	if status, body := ready(t, srv, ""); status != 200 {
		t.Fatalf("after the cooldown: %d %+v", status, body)
	}
	failing.Store(false)
	do(t, srv.Client(), "POST", srv.URL+"/classify", "application/json", `{"text":"a"}`)
	if guarded.(*chain.CircuitBreaker[Req, Resp]).State() != chain.Closed {
		t.Error("the probe did not close the breaker")
	}
	if status, _ := ready(t, srv, ""); status != 200 {
		t.Fatalf("closed: %d", status)
	}
}

func TestReadyChecks(t *testing.T) {
	var modelUp atomic.Bool
	release := make(chan struct{})
	mux := serve.MustMux(
		serve.WithReadyCheck("ollama", func(ctx context.Context) error {
			if !modelUp.Load() {
				return errors.New("connection refused")
			}
			return nil
		}),
		serve.WithReadyCheck("panics", func(ctx context.Context) error {
			if !modelUp.Load() {
				panic("boom")
			}
			return nil
		}),
		serve.WithReadyTimeout(50*time.Millisecond),
	)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	status, body := ready(t, srv, "?verbose")
	if status != 503 || len(body.Checks) != 2 || body.Checks[0].Name != "ollama" || body.Checks[0].Error != "connection refused" || body.Checks[1].Ready {
		t.Fatalf("down: %d %+v", status, body)
	}
	modelUp.Store(true)
	if status, _ := ready(t, srv, ""); status != 200 {
		t.Fatalf("up: %d", status)
	}

	// A check that ignores its context counts as failed when the ready
	// timeout passes.
	slow := serve.MustMux(serve.WithReadyTimeout(50*time.Millisecond), serve.WithReadyCheck("stuck", func(ctx context.Context) error {
		<-release
		return nil
	}))
	srv2 := httptest.NewServer(slow)
	defer srv2.Close()
	status, body = ready(t, srv2, "?verbose")
	close(release)
	if status != 503 || len(body.Checks) != 1 || !strings.Contains(body.Checks[0].Error, "in time") {
		t.Fatalf("stuck: %d %+v", status, body)
	}
}

func TestHealthAndMetrics(t *testing.T) {
	mux := serve.MustMux(serve.WithMetrics(httpText("# HELP up\nup 1\n")))
	mux.Handle("/version", httpText("v1"))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	if r := do(t, srv.Client(), "GET", srv.URL+"/healthz", "", ""); r.status != 200 || !strings.Contains(r.body, `"ok"`) {
		t.Errorf("healthz: %d %s", r.status, r.body)
	}
	if r := do(t, srv.Client(), "POST", srv.URL+"/healthz", "", ""); r.status != 405 {
		t.Errorf("POST healthz: %d", r.status)
	}
	if r := do(t, srv.Client(), "GET", srv.URL+"/metrics", "", ""); r.status != 200 || !strings.Contains(r.body, "up 1") {
		t.Errorf("metrics: %d %s", r.status, r.body)
	}
	if r := do(t, srv.Client(), "GET", srv.URL+"/version", "", ""); r.body != "v1" {
		t.Errorf("version: %d %s", r.status, r.body)
	}
}

// TestBadRequestsKeepReadiness: the caller's bad requests are answered
// with 400 and do not count against the model's breaker, so they cannot
// take /readyz down; the model server's faults do.
func TestBadRequestsKeepReadiness(t *testing.T) {
	var upstreamDown atomic.Bool
	model := chain.Fn(func(ctx context.Context, r Req) (Resp, error) {
		switch {
		case upstreamDown.Load():
			return Resp{}, &llm.Error{Provider: "openai", Model: "gpt", StatusCode: 503, Message: "overloaded", Temporary: true}
		case r.Text == "no messages":
			return Resp{}, fmt.Errorf("openai gpt: %w: message 1 (user) is empty", llm.ErrInvalidRequest)
		case r.Text == "not a document":
			return Resp{}, chain.MarkInvalidInput(&schema.InvalidError{Raw: r.Text, Reason: "the input is not a document"})
		case r.Text == "refused upstream":
			return Resp{}, &llm.Error{Provider: "openai", Model: "gpt", StatusCode: 400, Message: "context too long"}
		}
		return upper(r), nil
	})
	guarded := chain.Named("gpt", chain.Breaker(model)) // the defaults: 5 faults in a row open it
	mux := serve.MustMux()
	mux.Mount("/classify", mustHandler(t, guarded, quiet))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	post := func(body string) reply {
		return do(t, srv.Client(), "POST", srv.URL+"/classify", "application/json", body)
	}

	for _, body := range []string{`{"text":""}`, `{"text":`, `{"text":"a","count":99}`, `{"text":"no messages"}`, `{"text":"not a document"}`} {
		r := post(body)
		if r.status != 400 {
			t.Fatalf("%s: status %d, want 400: %s", body, r.status, r.body)
		}
		if info := r.errorBody(t); info.Message == "" || info.Code == serve.CodeInternal {
			t.Fatalf("%s: %+v", body, info)
		}
	}
	if r := post(`{"text":"no messages"}`); !strings.Contains(r.errorBody(t).Message, "message 1 (user) is empty") {
		t.Errorf("the reason is not in the reply: %s", r.body)
	}
	for range 5 { // a model server's 400 is not the caller's fault here, nor the server's
		if r := post(`{"text":"refused upstream"}`); r.status != 500 {
			t.Fatalf("upstream 400: status %d: %s", r.status, r.body)
		}
	}
	if status, body := ready(t, srv, "?verbose"); status != 200 {
		t.Fatalf("after bad requests: /readyz %d %+v", status, body)
	}
	if r := post(`{"text":"fine"}`); r.status != 200 {
		t.Fatalf("good request: %d %s", r.status, r.body)
	}

	upstreamDown.Store(true)
	for i := range 5 {
		if r := post(`{"text":"a"}`); r.status != 503 {
			t.Fatalf("fault %d: status %d, want 503: %s", i, r.status, r.body)
		}
	}
	if state := guarded.(*chain.CircuitBreaker[Req, Resp]).State(); state != chain.Open {
		t.Fatalf("breaker %v after 5 faults, want open", state)
	}
	if status, body := ready(t, srv, "?verbose"); status != 503 || len(body.Checks) != 1 || body.Checks[0].Ready {
		t.Fatalf("after 5 faults: /readyz %d %+v", status, body)
	}
	if r := post(`{"text":"a"}`); r.status != 503 || r.errorBody(t).Code != serve.CodeUnavailable {
		t.Fatalf("open breaker: %d %s", r.status, r.body)
	}
}

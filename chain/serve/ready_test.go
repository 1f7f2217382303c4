package serve_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/serve"
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

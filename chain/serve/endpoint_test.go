package serve_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
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

func TestRequests(t *testing.T) {
	e := mustHandler(t, chain.Pure(upper), serve.WithMaxBodyBytes(256))
	srv := httptest.NewServer(e)
	defer srv.Close()
	big := `{"text":"` + strings.Repeat("a", 300) + `"}`

	tests := []struct {
		name, method, ctype, body string
		status                    int
		code                      string // of an error reply
		want                      string // the reply, for 200
		details                   []serve.Detail
	}{
		{name: "ok", method: "POST", ctype: "application/json", body: `{"text":"hello"}`, status: 200, want: `{"text":"HELLO"}`},
		{name: "charset and optional field", method: "POST", ctype: "application/json; charset=utf-8", body: ` {"text":"hi","count":3}`, status: 200, want: `{"text":"HI"}`},
		{name: "+json type", method: "POST", ctype: "application/vnd.api+json", body: `{"text":"x"}`, status: 200, want: `{"text":"X"}`},
		{name: "optional field left out", method: "POST", ctype: "application/json", body: `{"text":"x"}`, status: 200, want: `{"text":"X"}`},
		// The published schema says count is an integer: null is refused,
		// as the schema says.
		{name: "null for an optional field", method: "POST", ctype: "application/json", body: `{"text":"x","count":null}`, status: 400, code: serve.CodeInvalidRequest,
			details: []serve.Detail{{Path: "/count", Message: "got null, want integer"}}},
		{name: "bad JSON", method: "POST", ctype: "application/json", body: `{"text":`, status: 400, code: serve.CodeInvalidJSON},
		{name: "trailing garbage", method: "POST", ctype: "application/json", body: `{"text":"a"} x`, status: 400, code: serve.CodeInvalidJSON},
		{name: "prose around JSON", method: "POST", ctype: "application/json", body: `here: {"text":"a"}`, status: 400, code: serve.CodeInvalidJSON},
		{name: "empty body", method: "POST", ctype: "application/json", body: ``, status: 400, code: serve.CodeInvalidJSON},
		{name: "not an object", method: "POST", ctype: "application/json", body: `["text"]`, status: 400, code: serve.CodeInvalidRequest},
		{name: "missing property", method: "POST", ctype: "application/json", body: `{}`, status: 400, code: serve.CodeInvalidRequest,
			details: []serve.Detail{{Path: "", Message: "missing property 'text'"}}},
		{name: "schema violations", method: "POST", ctype: "application/json", body: `{"text":"","count":11,"extra":1}`, status: 400, code: serve.CodeInvalidRequest,
			details: []serve.Detail{
				{Path: "", Message: "additional properties 'extra' not allowed"},
				{Path: "/text", Message: "minLength: got 0, want 1"},
				{Path: "/count", Message: "maximum: got 11, want 10"},
			}},
		{name: "wrong type", method: "POST", ctype: "application/json", body: `{"text":1}`, status: 400, code: serve.CodeInvalidRequest,
			details: []serve.Detail{{Path: "/text", Message: "got number, want string"}}},
		{name: "oversized body", method: "POST", ctype: "application/json", body: big, status: 413, code: serve.CodeTooLarge},
		{name: "wrong content type", method: "POST", ctype: "text/plain", body: `{"text":"a"}`, status: 415, code: serve.CodeUnsupportedType},
		{name: "no content type", method: "POST", ctype: "", body: `{"text":"a"}`, status: 415, code: serve.CodeUnsupportedType},
		{name: "wrong method", method: "GET", status: 405, code: serve.CodeMethodNotAllowed},
		{name: "PUT", method: "PUT", ctype: "application/json", body: `{"text":"a"}`, status: 405, code: serve.CodeMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, srv.Client(), tt.method, srv.URL+"/upper", tt.ctype, tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d; body %s", r.status, tt.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if tt.status == 200 {
				if strings.TrimSpace(r.body) != tt.want {
					t.Errorf("body %s, want %s", r.body, tt.want)
				}
				return
			}
			info := r.errorBody(t)
			if info.Code != tt.code || info.Status != tt.status || info.Message == "" {
				t.Errorf("error %+v, want code %s", info, tt.code)
			}
			if tt.details != nil && !sameDetails(info.Details, tt.details) {
				t.Errorf("details %+v, want %+v", info.Details, tt.details)
			}
		})
	}

	t.Run("allow headers", func(t *testing.T) {
		if r := do(t, srv.Client(), "GET", srv.URL+"/upper", "", ""); r.header.Get("Allow") != "POST" {
			t.Errorf("Allow %q", r.header.Get("Allow"))
		}
		if r := do(t, srv.Client(), "POST", srv.URL+"/upper", "text/plain", "x"); r.header.Get("Accept-Post") != "application/json" {
			t.Errorf("Accept-Post %q", r.header.Get("Accept-Post"))
		}
	})

	t.Run("oversized body without length", func(t *testing.T) {
		req, _ := http.NewRequest("POST", srv.URL+"/upper", io.MultiReader(strings.NewReader(big))) // unknown length: chunked
		req.Header.Set("Content-Type", "application/json")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if req.ContentLength != 0 || resp.StatusCode != 413 {
			t.Errorf("status %d (length %d), want 413 with a chunked body", resp.StatusCode, req.ContentLength)
		}
	})
}

// sameDetails compares details ignoring order.
func sameDetails(got, want []serve.Detail) bool {
	if len(got) != len(want) {
		return false
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			found = found || g == w
		}
		if !found {
			return false
		}
	}
	return true
}

func TestWrappedTypes(t *testing.T) {
	e := mustHandler(t, chain.Pure(strings.ToUpper))
	srv := httptest.NewServer(e)
	defer srv.Close()
	r := do(t, srv.Client(), "POST", srv.URL, "application/json", `{"value":"hi"}`)
	if r.status != 200 || strings.TrimSpace(r.body) != `{"value":"HI"}` {
		t.Errorf("got %d %s", r.status, r.body)
	}
	r = do(t, srv.Client(), "POST", srv.URL, "application/json", `"hi"`)
	if r.status != 400 {
		t.Errorf("a bare string: got %d %s", r.status, r.body)
	}

	// A struct whose only field is "value" is not wrapped again.
	type V struct {
		Value int `json:"value"`
	}
	e = mustHandler(t, chain.Pure(func(n int) V { return V{n * 2} }))
	srv2 := httptest.NewServer(e)
	defer srv2.Close()
	r = do(t, srv2.Client(), "POST", srv2.URL, "application/json", `{"value":21}`)
	if strings.TrimSpace(r.body) != `{"value":42}` {
		t.Errorf("got %d %s", r.status, r.body)
	}
}

func TestUnsupportedTypes(t *testing.T) {
	if _, err := serve.NewEndpoint(chain.Pure(func(v any) string { return "" })); !errors.Is(err, schema.ErrUnsupportedType) || !errors.Is(err, chain.ErrConfig) {
		t.Errorf("interface input: %v", err)
	}
	vote := chain.Vote(chain.Majority[string](), []chain.Voter[string, string]{chain.Member("a", chain.Pure(strings.ToUpper))})
	if _, err := serve.NewEndpoint(vote); !errors.Is(err, schema.ErrUnsupportedType) || !errors.Is(err, chain.ErrConfig) || !strings.Contains(err.Error(), "response type") {
		t.Errorf("Verdict output: %v", err)
	}
	if _, err := serve.NewEndpoint(chain.Winner(vote)); err != nil {
		t.Errorf("chain.Winner(vote): %v", err)
	}
	if _, err := serve.NewEndpoint[string, string](nil); !errors.Is(err, chain.ErrConfig) {
		t.Error("nil chain: no error")
	}
}

func fails(err error) chain.Chain[Req, Resp] {
	return chain.Fn(func(ctx context.Context, r Req) (Resp, error) { return Resp{}, err })
}

func TestErrorMapping(t *testing.T) {
	secret := errors.New("dial tcp 10.1.2.3:11434: connection refused")
	tests := []struct {
		name       string
		err        error
		opts       []serve.Option
		status     int
		code       string
		retryAfter string
		leak       bool
	}{
		{name: "unknown route", err: &chain.UnknownRouteError{Node: "route", Key: "x"}, status: 422, code: serve.CodeUnprocessable},
		{name: "invalid output", err: &llm.OutputError{Raw: "{", Attempts: 3, Err: secret}, status: 422, code: serve.CodeUnprocessable},
		{name: "invalid document", err: &chain.RetryError{Node: "r", Attempts: 1, Err: &schema.InvalidError{Raw: "{", Reason: "the reply is not valid JSON", Err: secret}}, status: 422, code: serve.CodeUnprocessable},
		{name: "open", err: &chain.OpenError{Node: "b", Until: time.Now().Add(2500 * time.Millisecond), Cause: secret}, status: 503, code: serve.CodeUnavailable, retryAfter: "3"},
		{name: "open, cooldown over", err: &chain.OpenError{Node: "b", Until: time.Now().Add(-time.Second)}, status: 503, code: serve.CodeUnavailable, retryAfter: "1"},
		{name: "wrapped open", err: &chain.RetryError{Node: "r", Attempts: 3, Err: &chain.OpenError{Node: "b", Until: time.Now().Add(time.Minute)}}, status: 503, code: serve.CodeUnavailable, retryAfter: "60"},
		{name: "chain timeout", err: &chain.TimeoutError{Node: "t", After: time.Second}, status: 504, code: serve.CodeTimeout},
		{name: "deadline", err: context.DeadlineExceeded, status: 504, code: serve.CodeTimeout},
		{name: "retryable", err: chain.MarkRetryable(secret), status: 503, code: serve.CodeUnavailable},
		{name: "rate limited", err: &llm.Error{Provider: "openai", StatusCode: 429, Temporary: true, Wait: 2 * time.Second}, status: 503, code: serve.CodeUnavailable, retryAfter: "2"},
		{name: "model 400", err: &llm.Error{Provider: "openai", StatusCode: 400, Message: "bad"}, status: 500, code: serve.CodeInternal},
		{name: "invalid input", err: chain.MarkInvalidInput(errors.New("the text is empty")), status: 400, code: serve.CodeInvalidRequest},
		{name: "invalid input wrapped in a stage", err: &chain.StageError{Stage: "classify", Err: chain.MarkInvalidInput(errors.New("the text is empty"))}, status: 400, code: serve.CodeInvalidRequest},
		{name: "invalid request to a model", err: fmt.Errorf("%w: message 1 (user) is empty", llm.ErrInvalidRequest), status: 400, code: serve.CodeInvalidRequest},
		{name: "invalid input document", err: chain.MarkInvalidInput(&schema.InvalidError{Raw: "{}", Reason: "missing property 'text'"}), status: 400, code: serve.CodeInvalidRequest},
		{name: "other", err: secret, status: 500, code: serve.CodeInternal},
		{name: "other, details on", err: secret, opts: []serve.Option{serve.WithErrorDetails()}, status: 500, code: serve.CodeInternal, leak: true},
		{name: "custom status", err: secret, opts: []serve.Option{serve.WithErrorStatus(func(error) int { return http.StatusTeapot })}, status: 418, code: "error_418"},
		{name: "custom status falls back", err: secret, opts: []serve.Option{serve.WithErrorStatus(func(error) int { return 0 })}, status: 500, code: serve.CodeInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(mustHandler(t, fails(tt.err), tt.opts...))
			defer srv.Close()
			r := do(t, srv.Client(), "POST", srv.URL, "application/json", `{"text":"a"}`)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if got := r.header.Get("Retry-After"); got != tt.retryAfter {
				t.Errorf("Retry-After %q, want %q", got, tt.retryAfter)
			}
			info := r.errorBody(t)
			if info.Code != tt.code {
				t.Errorf("code %q, want %q", info.Code, tt.code)
			}
			if tt.status == 400 && !strings.Contains(info.Message, tt.err.Error()) {
				t.Errorf("message %q does not give the reason %q", info.Message, tt.err.Error())
			}
			if leaked := strings.Contains(r.body, "10.1.2.3"); leaked != tt.leak {
				t.Errorf("error text in the reply: %v, want %v: %s", leaked, tt.leak, r.body)
			}
		})
	}
}

func TestPanic(t *testing.T) {
	type boom struct{ chain.Chain[Req, Resp] } // a chain whose Run panics (nil embedded chain)
	srv := httptest.NewServer(mustHandler(t, chain.Chain[Req, Resp](boom{})))
	defer srv.Close()
	r := do(t, srv.Client(), "POST", srv.URL, "application/json", `{"text":"a"}`)
	if r.status != 500 || r.errorBody(t).Code != serve.CodeInternal {
		t.Errorf("got %d %s", r.status, r.body)
	}
}

func TestTimeout(t *testing.T) {
	var sawCancel atomic.Bool
	slow := chain.Fn(func(ctx context.Context, r Req) (Resp, error) {
		<-ctx.Done()
		sawCancel.Store(true)
		return Resp{}, ctx.Err()
	})
	srv := httptest.NewServer(mustHandler(t, slow, serve.WithTimeout(50*time.Millisecond)))
	defer srv.Close()
	start := time.Now()
	r := do(t, srv.Client(), "POST", srv.URL, "application/json", `{"text":"a"}`)
	if r.status != 504 || r.errorBody(t).Code != serve.CodeTimeout {
		t.Errorf("got %d %s", r.status, r.body)
	}
	if !sawCancel.Load() {
		t.Error("the chain's context was not cancelled")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestClientGoneNoReply(t *testing.T) {
	started := make(chan struct{})
	finished := make(chan error, 1)
	slow := chain.Fn(func(ctx context.Context, r Req) (Resp, error) {
		close(started)
		<-ctx.Done()
		finished <- ctx.Err()
		return Resp{}, ctx.Err()
	})
	srv := httptest.NewServer(mustHandler(t, slow))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL, strings.NewReader(`{"text":"a"}`))
	req.Header.Set("Content-Type", "application/json")
	go func() { <-started; cancel() }()
	if _, err := srv.Client().Do(req); !errors.Is(err, context.Canceled) {
		t.Errorf("client: %v", err)
	}
	select {
	case err := <-finished:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("chain's ctx: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the chain's context was not cancelled")
	}
}

func TestSchemaAndGraph(t *testing.T) {
	c := chain.Named("shout", chain.Retry(chain.Pure(upper)))
	mux := serve.MustMux()
	mux.Mount("/v1/shout", mustHandler(t, c))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	r := do(t, srv.Client(), "GET", srv.URL+"/v1/shout/schema", "", "")
	var doc struct {
		Request, Response struct {
			Type       string                     `json:"type"`
			Properties map[string]json.RawMessage `json:"properties"`
		}
	}
	if err := json.Unmarshal([]byte(r.body), &doc); err != nil || r.status != 200 {
		t.Fatalf("schema: %d %s: %v", r.status, r.body, err)
	}
	if doc.Request.Type != "object" || doc.Request.Properties["text"] == nil || doc.Request.Properties["count"] == nil || doc.Response.Properties["text"] == nil {
		t.Errorf("schema %s", r.body)
	}

	r = do(t, srv.Client(), "GET", srv.URL+"/v1/shout/graph", "", "")
	if r.status != 200 || !strings.HasPrefix(r.body, "flowchart LR") || !strings.Contains(r.body, "shout") {
		t.Errorf("graph: %d %s", r.status, r.body)
	}
	r = do(t, srv.Client(), "GET", srv.URL+"/v1/shout/graph?format=dot", "", "")
	if r.status != 200 || !strings.HasPrefix(r.body, "digraph") || r.header.Get("Content-Type") != "text/vnd.graphviz; charset=utf-8" {
		t.Errorf("dot: %d %s", r.status, r.body)
	}
	if r = do(t, srv.Client(), "GET", srv.URL+"/v1/shout/graph?format=png", "", ""); r.status != 400 {
		t.Errorf("png: %d", r.status)
	}
	if r = do(t, srv.Client(), "POST", srv.URL+"/v1/shout/schema", "application/json", "{}"); r.status != 405 || r.header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST schema: %d %v", r.status, r.header)
	}
	if r = do(t, srv.Client(), "POST", srv.URL+"/v1/shout", "application/json", `{"text":"a"}`); r.status != 200 {
		t.Errorf("POST: %d %s", r.status, r.body)
	}
	if r = do(t, srv.Client(), "POST", srv.URL+"/v1/shout/other", "application/json", `{"text":"a"}`); r.status != 404 {
		t.Errorf("other path: %d %s", r.status, r.body)
	}

	// Standalone, the endpoint routes by the path's ending.
	solo := httptest.NewServer(mustHandler(t, c))
	defer solo.Close()
	if r = do(t, solo.Client(), "GET", solo.URL+"/anything/schema", "", ""); r.status != 200 || !strings.Contains(r.body, `"request"`) {
		t.Errorf("standalone schema: %d %s", r.status, r.body)
	}
}

func TestHooks(t *testing.T) {
	var starts atomic.Int32
	hook := chain.HookFuncs{OnStart: func(ctx context.Context, n chain.NodeInfo) { starts.Add(1) }}
	srv := httptest.NewServer(mustHandler(t, chain.Named("shout", chain.Pure(upper)), serve.WithCallHooks(hook)))
	defer srv.Close()
	do(t, srv.Client(), "POST", srv.URL, "application/json", `{"text":"a"}`)
	if starts.Load() != 1 {
		t.Errorf("%d starts, want 1", starts.Load())
	}
}

func TestMountRoot(t *testing.T) {
	mux := serve.MustMux()
	mux.Mount("/", mustHandler(t, chain.Pure(upper)))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	if r := do(t, srv.Client(), "POST", srv.URL+"/", "application/json", `{"text":"a"}`); r.status != 200 {
		t.Errorf("POST /: %d %s", r.status, r.body)
	}
	if r := do(t, srv.Client(), "GET", srv.URL+"/schema", "", ""); r.status != 200 {
		t.Errorf("GET /schema: %d", r.status)
	}
	if r := do(t, srv.Client(), "GET", srv.URL+"/healthz", "", ""); r.status != 200 {
		t.Errorf("GET /healthz: %d", r.status)
	}
	for _, bad := range []string{"", "x", "/x/", "/{id}"} {
		func() {
			defer func() {
				if err, ok := recover().(error); !ok || !errors.Is(err, chain.ErrConfig) {
					t.Errorf("Mount(%q) did not panic with a chain.ErrConfig error", bad)
				}
			}()
			mux.Mount(bad, mustHandler(t, chain.Pure(upper)))
		}()
	}
}

package serve_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/serve"
)

// syncBuffer is a bytes.Buffer safe for a logger and a test at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// records decodes the JSON log records written so far.
func (s *syncBuffer) records(t *testing.T) []map[string]any {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for line := range strings.Lines(s.b.String()) {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, rec)
	}
	return out
}

// explodeInServe is the function that panics; its name must show in the
// logged stack and nowhere in the reply.
func explodeInServe(ctx context.Context, r Req) (Resp, error) {
	panic("kaboom-" + r.Text)
}

type panickyStream struct{}

func (panickyStream) Run(ctx context.Context, in Req) (string, error) { return "", nil }

func (panickyStream) StreamText(ctx context.Context, in Req) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		if yield("a", nil) {
			streamExplodes(in.Text)
		}
	}
}

func streamExplodes(s string) { panic("kaboom-" + s) }

// TestPanicIsLoggedWithItsStack: a chain that panics is a 500 whose log
// record has the panic value and the stack, naming the function that
// panicked; the reply has neither, with or without error details, whole
// or streamed.
func TestPanicIsLoggedWithItsStack(t *testing.T) {
	for _, tc := range []struct {
		name     string
		endpoint func(opts ...serve.Option) *serve.Endpoint
		stream   bool
		fn       string
	}{
		{"whole", func(opts ...serve.Option) *serve.Endpoint {
			return mustHandler(t, chain.Fn(explodeInServe), opts...)
		}, false, "serve_test.explodeInServe"},
		{"stream", func(opts ...serve.Option) *serve.Endpoint {
			return mustHandler(t, chain.Chain[Req, string](panickyStream{}), opts...)
		}, true, "serve_test.streamExplodes"},
	} {
		for _, details := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/details=%v", tc.name, details), func(t *testing.T) {
				var logs syncBuffer
				opts := []serve.Option{serve.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil)))}
				if details {
					opts = append(opts, serve.WithErrorDetails())
				}
				srv := httptest.NewServer(tc.endpoint(opts...))
				defer srv.Close()
				var body string
				if tc.stream {
					resp := postEvents(t, context.Background(), srv.Client(), srv.URL, `{"text":"x"}`)
					var b bytes.Buffer
					_, _ = b.ReadFrom(resp.Body)
					resp.Body.Close()
					body = b.String()
					if !strings.Contains(body, "event: error") || !strings.Contains(body, `"status":500`) {
						t.Errorf("stream %q, want an error event with status 500", body)
					}
				} else {
					r := do(t, srv.Client(), "POST", srv.URL, "application/json", `{"text":"x"}`)
					if r.status != 500 || r.errorBody(t).Code != serve.CodeInternal {
						t.Errorf("got %d %s", r.status, r.body)
					}
					body = r.body
				}
				for _, leak := range []string{tc.fn, "goroutine", ".go:", "runtime/debug"} {
					if strings.Contains(body, leak) {
						t.Errorf("the reply holds %q: %s", leak, body)
					}
				}
				if details != strings.Contains(body, "kaboom-x") {
					t.Errorf("details %v, reply %s", details, body)
				}

				recs := logs.records(t)
				if len(recs) != 1 {
					t.Fatalf("%d log records, want 1: %v", len(recs), recs)
				}
				rec := recs[0]
				stack, _ := rec["stack"].(string)
				if rec["level"] != "ERROR" || !strings.Contains(rec["error"].(string), "kaboom-x") {
					t.Errorf("log record %v, want the panic value at ERROR", rec)
				}
				if !strings.Contains(stack, tc.fn) || !strings.Contains(stack, "goroutine") {
					t.Errorf("logged stack does not name %s:\n%s", tc.fn, stack)
				}
			})
		}
	}
}

// TestFailureLogHasNoStack: an ordinary failure is logged without a
// stack attribute.
func TestFailureLogHasNoStack(t *testing.T) {
	var logs syncBuffer
	failing := chain.Fn(func(ctx context.Context, r Req) (Resp, error) { return Resp{}, context.DeadlineExceeded })
	srv := httptest.NewServer(mustHandler(t, failing, serve.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil)))))
	defer srv.Close()
	do(t, srv.Client(), "POST", srv.URL, "application/json", `{"text":"x"}`)
	recs := logs.records(t)
	if len(recs) != 1 {
		t.Fatalf("%d log records: %v", len(recs), recs)
	}
	if _, ok := recs[0]["stack"]; ok {
		t.Errorf("a failure that is no panic logged a stack: %v", recs[0])
	}
}

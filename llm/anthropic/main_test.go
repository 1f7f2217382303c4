package anthropic_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/anthropictest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/anthropic"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// testKey is the API key the tests use; no error or log may contain it.
const testKey = "sk-ant-test-4f9c2e7a1b3d5f60-SECRET"

const modelName = "claude-sonnet-4-5"

// newModel returns a model of the test server, with the test key and
// retries off, so that a scripted failure shows as the call's error.
func newModel(t testing.TB, s *anthropictest.Server, opts ...anthropic.Option) *anthropic.Model {
	t.Helper()
	base := []anthropic.Option{anthropic.WithAPIKey(testKey), anthropic.WithBaseURL(s.URL()),
		anthropic.WithHTTPClient(s.HTTPClient()), anthropic.WithMaxRetries(0)}
	m, err := anthropic.New(modelName, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// lastBody is the JSON body of the server's last request, decoded.
func lastBody(t *testing.T, s *anthropictest.Server) map[string]any {
	t.Helper()
	r, ok := s.LastRequest()
	if !ok {
		t.Fatal("no request received")
	}
	var body map[string]any
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatalf("request body %s: %v", r.Body, err)
	}
	return body
}

// jsonOf re-encodes a decoded JSON value, for comparisons.
func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func ctxTimeout(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func user(text string) llm.Request { return llm.Request{Messages: []llm.Message{llm.User(text)}} }

func ptr[T any](v T) *T { return &v }

// fakeClock fires every wait at once and records it, for chain.Retry.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.now
	return ch
}

// retryEvents installs a hook that records the retry events emitted under
// the returned context.
func retryEvents(ctx context.Context) (context.Context, func() []chain.Event) {
	var (
		mu     sync.Mutex
		events []chain.Event
	)
	ctx = chain.WithHooks(ctx, chain.HookFuncs{OnEvent: func(_ context.Context, _ chain.NodeInfo, e chain.Event) {
		if e.Kind == chain.EventRetry {
			mu.Lock()
			events = append(events, e)
			mu.Unlock()
		}
	}})
	return ctx, func() []chain.Event {
		mu.Lock()
		defer mu.Unlock()
		return append([]chain.Event(nil), events...)
	}
}

package guard_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/chaintest"
	"github.com/chorus-go/chorus/internal/ollamatest"
	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/ollama"
	"github.com/chorus-go/chorus/llm/openai"
)

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// newOpenAI is the real openai adapter on the test server, its own default
// retries off so that the guard is the only retry layer under test.
func newOpenAI(t testing.TB, s *openaitest.Server) *openai.Model {
	t.Helper()
	m, err := openai.New("gpt-4o-mini", openai.WithAPIKey("test-key"), openai.WithBaseURL(s.URL()), openai.WithHTTPClient(s.HTTPClient()), openai.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// newOllama is the real ollama adapter on the test server, its own default
// retries off so that the guard is the only retry layer under test.
func newOllama(t testing.TB, s *ollamatest.Server) *ollama.Model {
	t.Helper()
	m, err := ollama.New("llama3.2", ollama.WithHost(s.URL().String()), ollama.WithHTTPClient(s.HTTPClient()), ollama.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func ask(text string) llm.Request { return llm.Request{Messages: []llm.Message{llm.User(text)}} }

func autoClock() *chaintest.Clock { return chaintest.NewAutoClock(epoch) }

// events records the hooks' events with their paths.
type events struct {
	mu  sync.Mutex
	all []recorded
}

type recorded struct {
	path string
	e    chain.Event
}

func (r *events) ctx(ctx context.Context) context.Context {
	return chain.WithHooks(ctx, chain.HookFuncs{OnEvent: func(_ context.Context, n chain.NodeInfo, e chain.Event) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.all = append(r.all, recorded{n.Path, e})
	}})
}

func (r *events) count(kind chain.EventKind, path string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, x := range r.all {
		if x.e.Kind == kind && x.path == path {
			n++
		}
	}
	return n
}

// echoModel is a trivial in-memory chat model.
type echoModel struct{ calls atomic.Int64 }

func (m *echoModel) Chat(_ context.Context, req llm.Request) (llm.Response, error) {
	m.calls.Add(1)
	text := ""
	if n := len(req.Messages); n > 0 {
		text = req.Messages[n-1].Text()
	}
	return llm.Response{Message: llm.Assistant(text), FinishReason: "stop", Usage: llm.Usage{InputTokens: 3, OutputTokens: 2}}, nil
}

// scripted is a chat model that fails with the scripted errors first.
type scripted struct {
	mu   sync.Mutex
	errs []error
	n    int
}

func (m *scripted) Chat(_ context.Context, req llm.Request) (llm.Response, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.n++
	if len(m.errs) > 0 {
		err := m.errs[0]
		m.errs = m.errs[1:]
		return llm.Response{}, err
	}
	return llm.Response{Message: llm.Assistant("ok")}, nil
}

func (m *scripted) calls() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.n
}

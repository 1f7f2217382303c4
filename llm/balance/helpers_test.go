package balance_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/ollamatest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/ollama"
)

// replica is an Ollama test server and the real adapter talking to it.
type replica struct {
	srv   *ollamatest.Server
	model *ollama.Model
}

// newReplica starts a server answering with def (nil: echo).
func newReplica(t testing.TB, def func(ollamatest.Request) ollamatest.Reply) replica {
	t.Helper()
	var opts []ollamatest.Option
	if def != nil {
		opts = append(opts, ollamatest.WithDefault(def))
	}
	s := ollamatest.New(t, opts...)
	m, err := ollama.New("llama3.2", ollama.WithHost(s.URL().String()), ollama.WithHTTPClient(s.HTTPClient()), ollama.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	return replica{s, m}
}

// calls counts the chat requests the server got.
func (r replica) calls() int { return r.count("/api/chat") }

// count counts the requests to path.
func (r replica) count(path string) int {
	n := 0
	for _, q := range r.srv.Requests() {
		if q.Path == path {
			n++
		}
	}
	return n
}

func models(rs ...replica) []llm.ChatModel {
	out := make([]llm.ChatModel, len(rs))
	for i, r := range rs {
		out[i] = r.model
	}
	return out
}

func ask(text string) llm.Request { return llm.Request{Messages: []llm.Message{llm.User(text)}} }

// events records the balancer's events.
type events struct {
	mu  sync.Mutex
	all []chain.Event
}

func (e *events) ctx() context.Context {
	return chain.WithHooks(context.Background(), chain.HookFuncs{OnEvent: func(_ context.Context, _ chain.NodeInfo, ev chain.Event) {
		e.mu.Lock()
		e.all = append(e.all, ev)
		e.mu.Unlock()
	}})
}

func (e *events) count(kind chain.EventKind) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, ev := range e.all {
		if ev.Kind == kind {
			n++
		}
	}
	return n
}

func (e *events) first(kind chain.EventKind) (chain.Event, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, ev := range e.all {
		if ev.Kind == kind {
			return ev, true
		}
	}
	return chain.Event{}, false
}

// gauge measures the maximum concurrency of a handler.
type gauge struct {
	cur, max atomic.Int64
}

func (g *gauge) hold(d time.Duration) {
	n := g.cur.Add(1)
	for {
		m := g.max.Load()
		if n <= m || g.max.CompareAndSwap(m, n) {
			break
		}
	}
	time.Sleep(d)
	g.cur.Add(-1)
}

var start = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

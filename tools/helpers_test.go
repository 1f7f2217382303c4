package tools_test

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorus-go/chorus/internal/ollamatest"
	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/ollama"
	"github.com/chorus-go/chorus/llm/openai"
	"github.com/chorus-go/chorus/tools"
)

// testContext returns a context that ends with the test or after 10 s.
func testContext(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// call is a tool call a scripted model makes; args is JSON text.
type call struct{ id, name, args string }

// reply is a scripted model reply: text, tool calls, or both, with the
// token usage it reports (zero: the server's estimate).
type reply struct {
	text    string
	calls   []call
	in, out int
}

func answer(text string) reply          { return reply{text: text} }
func calls(cs ...call) reply            { return reply{calls: cs} }
func (r reply) usage(in, out int) reply { r.in, r.out = in, out; return r }

// wireMsg is a message as a provider's server received it.
type wireMsg struct {
	Role, Content, ToolCallID string
	Calls                     []string // tool names
}

// backend is a test server speaking a provider's wire protocol and the
// real client of that provider, through its llm adapter.
type backend interface {
	model() llm.ChatModel
	script(replies ...reply)
	// sent returns the messages of the i-th chat request (from 0).
	sent(i int) []wireMsg
	chats() int
	// malformedJSON reports whether the protocol can carry arguments that
	// are not JSON (OpenAI's arguments are a string; Ollama's an object).
	malformedJSON() bool
}

// providers are the real clients the agent is tested through.
var providers = []struct {
	name string
	new  func(t *testing.T) backend
}{
	{"openai", newOpenAI},
	{"ollama", newOllama},
}

// forEachProvider runs f once per provider, as subtests.
func forEachProvider(t *testing.T, f func(t *testing.T, b backend)) {
	for _, p := range providers {
		t.Run(p.name, func(t *testing.T) { f(t, p.new(t)) })
	}
}

// openAI is the go-openai client against openaitest.
type openAI struct {
	t *testing.T
	s *openaitest.Server
	m *openai.Model
}

func newOpenAI(t *testing.T) backend {
	s := openaitest.New(t)
	m, err := openai.New("gpt-4o-mini", openai.WithAPIKey("sk-test"), openai.WithBaseURL(s.URL()), openai.WithHTTPClient(s.HTTPClient()))
	if err != nil {
		t.Fatal(err)
	}
	return &openAI{t: t, s: s, m: m}
}

func (o *openAI) model() llm.ChatModel { return o.m }
func (o *openAI) malformedJSON() bool  { return true }

func (o *openAI) script(replies ...reply) {
	for _, r := range replies {
		var rep openaitest.Reply
		if len(r.calls) == 0 {
			rep = openaitest.Text(r.text)
		} else {
			cs := make([]openaitest.ToolCall, len(r.calls))
			for i, c := range r.calls {
				cs[i] = openaitest.ToolCall{ID: c.id, Name: c.name, Arguments: c.args}
			}
			rep = openaitest.ToolCalls(cs...)
			if r.text != "" {
				rep = rep.WithContent(r.text)
			}
		}
		if r.in != 0 || r.out != 0 {
			rep = rep.WithUsage(r.in, r.out)
		}
		o.s.EnqueueChat(rep)
	}
}

func (o *openAI) chatRequests() []openaitest.Request {
	var out []openaitest.Request
	for _, r := range o.s.Requests() {
		if r.Chat != nil {
			out = append(out, r)
		}
	}
	return out
}

func (o *openAI) chats() int { return len(o.chatRequests()) }

func (o *openAI) sent(i int) []wireMsg {
	o.t.Helper()
	reqs := o.chatRequests()
	if i >= len(reqs) {
		o.t.Fatalf("chat request %d of %d", i, len(reqs))
	}
	var out []wireMsg
	for _, m := range reqs[i].Chat.Messages {
		w := wireMsg{Role: m.Role, Content: m.Content, ToolCallID: m.ToolCallID}
		for _, c := range m.ToolCalls {
			w.Calls = append(w.Calls, c.Function.Name)
		}
		out = append(out, w)
	}
	return out
}

// ollamaBackend is the ollama api client against ollamatest.
type ollamaBackend struct {
	t *testing.T
	s *ollamatest.Server
	m *ollama.Model
}

func newOllama(t *testing.T) backend {
	s := ollamatest.New(t, ollamatest.WithModels("llama3.2"))
	m, err := ollama.New("llama3.2", ollama.WithHost(s.URL().String()), ollama.WithHTTPClient(s.HTTPClient()))
	if err != nil {
		t.Fatal(err)
	}
	return &ollamaBackend{t: t, s: s, m: m}
}

func (o *ollamaBackend) model() llm.ChatModel { return o.m }
func (o *ollamaBackend) malformedJSON() bool  { return false }

func (o *ollamaBackend) script(replies ...reply) {
	o.t.Helper()
	for _, r := range replies {
		rep := ollamatest.Text(r.text)
		for _, c := range r.calls {
			var args map[string]any
			if err := json.Unmarshal([]byte(c.args), &args); err != nil {
				o.t.Fatalf("ollama tool call arguments must be a JSON object: %s: %v", c.args, err)
			}
			tc := ollamatest.Call(c.name, args)
			tc.ID = c.id
			rep = rep.WithToolCalls(tc)
		}
		if r.in != 0 || r.out != 0 {
			rep = rep.WithUsage(r.in, r.out)
		}
		o.s.Enqueue(rep)
	}
}

func (o *ollamaBackend) chatRequests() []ollamatest.Request {
	var out []ollamatest.Request
	for _, r := range o.s.Requests() {
		if r.Chat != nil {
			out = append(out, r)
		}
	}
	return out
}

func (o *ollamaBackend) chats() int { return len(o.chatRequests()) }

func (o *ollamaBackend) sent(i int) []wireMsg {
	o.t.Helper()
	reqs := o.chatRequests()
	if i >= len(reqs) {
		o.t.Fatalf("chat request %d of %d", i, len(reqs))
	}
	var out []wireMsg
	for _, m := range reqs[i].Chat.Messages {
		w := wireMsg{Role: m.Role, Content: m.Content, ToolCallID: m.ToolCallID}
		for _, c := range m.ToolCalls {
			w.Calls = append(w.Calls, c.Function.Name)
		}
		out = append(out, w)
	}
	return out
}

// toolResults returns the contents of the tool messages that end msgs:
// the results of the last reply's calls.
func toolResults(msgs []wireMsg) []string {
	i := len(msgs)
	for i > 0 && msgs[i-1].Role == "tool" {
		i--
	}
	var out []string
	for _, m := range msgs[i:] {
		out = append(out, m.Content)
	}
	return out
}

// Tools the tests give agents.

type Pair struct {
	A float64 `json:"a"`
	B float64 `json:"b"`
}

type Nothing struct{}

type Path struct {
	Path string `json:"path"`
}

func addTool(opts ...tools.ToolOption) *tools.Func[Pair, float64] {
	return tools.MustNew("add", "Adds two numbers.", func(_ context.Context, p Pair) (float64, error) {
		return p.A + p.B, nil
	}, opts...)
}

// sleepTool blocks until its context ends, and says it started.
func sleepTool(name string, started chan<- struct{}, opts ...tools.ToolOption) *tools.Func[Nothing, string] {
	return tools.MustNew(name, "Waits forever.", func(ctx context.Context, _ Nothing) (string, error) {
		if started != nil {
			started <- struct{}{}
		}
		<-ctx.Done()
		return "", ctx.Err()
	}, opts...)
}

func boomTool() *tools.Func[Nothing, string] {
	return tools.MustNew("boom", "Panics.", func(context.Context, Nothing) (string, error) {
		panic("boom")
	})
}

func failTool() *tools.Func[Nothing, string] {
	return tools.MustNew("fail", "Fails.", func(context.Context, Nothing) (string, error) {
		return "", errors.New("the disk is full")
	})
}

// deleteTool records what it deleted.
func deleteTool(deleted *atomic.Int32) *tools.Func[Path, string] {
	return tools.MustNew("delete", "Deletes a file.", func(_ context.Context, p Path) (string, error) {
		deleted.Add(1)
		return "deleted " + p.Path, nil
	})
}

// probe is a tool that records how many of its calls run at once; each
// call waits for release (or its context) before it returns.
type probe struct {
	mu      sync.Mutex
	active  int
	max     int
	started chan string
	release chan struct{}
}

func newProbe() *probe {
	return &probe{started: make(chan string, 16), release: make(chan struct{})}
}

func (p *probe) tool() *tools.Func[Path, string] {
	return tools.MustNew("fetch", "Fetches a page.", func(ctx context.Context, in Path) (string, error) {
		p.mu.Lock()
		p.active++
		p.max = max(p.max, p.active)
		p.mu.Unlock()
		defer func() {
			p.mu.Lock()
			p.active--
			p.mu.Unlock()
		}()
		p.started <- in.Path
		select {
		case <-p.release:
			return "page " + in.Path, nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	})
}

func (p *probe) maxActive() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.max
}

// collect drains an event stream.
func collect(seq iter.Seq2[tools.Event, error]) ([]tools.Event, error) {
	var events []tools.Event
	var last error
	for e, err := range seq {
		events = append(events, e)
		if err != nil {
			last = err
		}
	}
	return events, last
}

// kinds lists the kinds of events, merging runs of text events.
func kinds(events []tools.Event) string {
	var ks []string
	for _, e := range events {
		k := e.Kind.String()
		if k == "text" && len(ks) > 0 && ks[len(ks)-1] == "text" {
			continue
		}
		ks = append(ks, k)
	}
	return strings.Join(ks, " ")
}

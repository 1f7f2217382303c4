package llmtest_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/conformance"
	"github.com/chorus-go/chorus/llm/llmtest"
)

// TestModelConformance runs the adapter conformance kit on Model. Its
// "server" is the model's default reply: a Func that records each request
// that passed validation and answers with the next scripted behaviour.
func TestModelConformance(t *testing.T) {
	conformance.TestChatModel(t, func(t *testing.T) conformance.ChatHarness {
		h := &modelHarness{}
		h.model = llmtest.NewModel("conformance").WithDefault(llmtest.Func(h.serve))
		return h
	})
}

// TestEmbedderConformance runs the conformance kit on Embedder.
func TestEmbedderConformance(t *testing.T) {
	conformance.TestEmbedder(t, func(t *testing.T) conformance.EmbedderHarness {
		return embedderHarness{llmtest.NewEmbedder(16)}
	})
}

type modelHarness struct {
	model *llmtest.Model

	mu       sync.Mutex
	script   []llmtest.Reply
	requests []conformance.Request
}

func (h *modelHarness) Model() llm.ChatModel { return h.model }

func (h *modelHarness) ScriptText(text string) { h.push(llmtest.Text(text)) }

func (h *modelHarness) ScriptError(status int, message string, retryAfter time.Duration) {
	err := llmtest.StatusError(status)
	err.Message, err.Wait = message, retryAfter
	h.push(llmtest.Error(err))
}

func (h *modelHarness) ScriptHang() { h.push(llmtest.Hang()) }

func (h *modelHarness) Requests() []conformance.Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]conformance.Request(nil), h.requests...)
}

func (h *modelHarness) push(r llmtest.Reply) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.script = append(h.script, r)
}

// serve records req and answers it with the next scripted reply, run
// through a one-reply Model of its own.
func (h *modelHarness) serve(ctx context.Context, req llm.Request) (llm.Response, error) {
	rec := conformance.Request{}
	for i := len(req.Messages) - 1; i >= 0; i-- {
		if req.Messages[i].Role == llm.RoleUser {
			rec.Prompt = req.Messages[i].Text()
			break
		}
	}
	if f := req.Format; f != nil && f.Type == llm.FormatJSONSchema {
		rec.Schema = f.Schema
	}
	h.mu.Lock()
	h.requests = append(h.requests, rec)
	reply := llmtest.Text("nothing was scripted")
	if len(h.script) > 0 {
		reply, h.script = h.script[0], h.script[1:]
	}
	h.mu.Unlock()
	return llmtest.NewModel("reply", reply).Chat(ctx, req)
}

type embedderHarness struct{ e *llmtest.Embedder }

func (h embedderHarness) Embedder() llm.Embedder { return h.e }

func (h embedderHarness) ScriptError(status int, message string, retryAfter time.Duration) {
	err := llmtest.StatusError(status)
	err.Message, err.Wait = message, retryAfter
	h.e.FailWith(err)
}

// ScriptHang slows every later call down to an hour: each check has a
// harness of its own, and the cancellation checks make one call.
func (h embedderHarness) ScriptHang() { h.e.WithDelay(time.Hour) }

func (h embedderHarness) Received() int {
	_, texts := h.e.Calls()
	return texts
}

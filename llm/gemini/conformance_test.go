package gemini_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/chorus-go/chorus/internal/geminitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/conformance"
	"github.com/chorus-go/chorus/llm/gemini"
)

// TestModelConformance runs the conformance kit on Model, against the
// in-process Gemini API server.
func TestModelConformance(t *testing.T) {
	conformance.TestChatModel(t, func(t *testing.T) conformance.ChatHarness {
		s := newServer(t)
		return chatHarness{s: s, m: newModel(t, s)}
	})
}

// TestEmbedderConformance runs the conformance kit on Embedder.
func TestEmbedderConformance(t *testing.T) {
	conformance.TestEmbedder(t, func(t *testing.T) conformance.EmbedderHarness {
		s := newServer(t)
		return embedHarness{s: s, e: newEmbedder(t, s)}
	})
}

// googleError is the error body the Gemini API sends for a status, with
// the wait in a Retry-After header as the kit asks.
func googleError(status int, message string, retryAfter time.Duration) geminitest.Reply {
	name := map[int]string{400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED",
		404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}[status]
	if name == "" {
		name = http.StatusText(status)
	}
	r := geminitest.Error(status, name, message)
	if retryAfter > 0 {
		r = r.WithHeader("Retry-After", strconv.Itoa(int(retryAfter/time.Second)))
	}
	return r
}

type chatHarness struct {
	s *geminitest.Server
	m *gemini.Model
}

func (h chatHarness) Model() llm.ChatModel   { return h.m }
func (h chatHarness) ScriptText(text string) { h.s.EnqueueChat(geminitest.Text(text)) }
func (h chatHarness) ScriptHang()            { h.s.EnqueueChat(geminitest.Hang()) }

func (h chatHarness) ScriptError(status int, message string, retryAfter time.Duration) {
	h.s.EnqueueChat(googleError(status, message, retryAfter))
}

func (h chatHarness) Requests() []conformance.Request {
	var out []conformance.Request
	for _, r := range h.s.Requests() {
		if r.Generate == nil {
			continue
		}
		rec := conformance.Request{Prompt: r.LastUserText()}
		if g := r.Generate.GenerationConfig; g != nil && len(g.ResponseJSONSchema) > 0 {
			rec.Schema = g.ResponseJSONSchema
		}
		out = append(out, rec)
	}
	return out
}

type embedHarness struct {
	s *geminitest.Server
	e *gemini.Embedder
}

func (h embedHarness) Embedder() llm.Embedder { return h.e }
func (h embedHarness) ScriptHang()            { h.s.EnqueueEmbed(geminitest.Hang()) }
func (h embedHarness) Received() int          { return h.s.EmbeddingInputs() }

func (h embedHarness) ScriptError(status int, message string, retryAfter time.Duration) {
	h.s.EnqueueEmbed(googleError(status, message, retryAfter))
}

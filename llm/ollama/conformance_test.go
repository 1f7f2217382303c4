package ollama_test

import (
	"bytes"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/chorus-go/chorus/internal/ollamatest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/conformance"
	"github.com/chorus-go/chorus/llm/ollama"
)

// TestModelConformance runs the adapter conformance kit on Model, against
// the in-process Ollama server.
func TestModelConformance(t *testing.T) {
	conformance.TestChatModel(t, func(t *testing.T) conformance.ChatHarness {
		s := ollamatest.New(t)
		// Retries off: the kit checks how one failed response is reported.
		m, err := ollama.New("llama3.2", ollama.WithHost(s.URL().String()), ollama.WithHTTPClient(s.HTTPClient()), ollama.WithMaxRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		return ollamaChatHarness{s: s, m: m}
	})
}

// TestEmbedderConformance runs the conformance kit on Embedder.
func TestEmbedderConformance(t *testing.T) {
	conformance.TestEmbedder(t, func(t *testing.T) conformance.EmbedderHarness {
		s := ollamatest.New(t)
		// Retries off: the kit checks how one failed response is reported.
		e, err := ollama.NewEmbedder("nomic-embed-text", ollama.WithHost(s.URL().String()), ollama.WithHTTPClient(s.HTTPClient()), ollama.WithMaxRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		return ollamaEmbedHarness{s: s, e: e}
	})
}

// ollamaError is Ollama's error answer, with a Retry-After as a proxy in
// front of it would add.
func ollamaError(status int, message string, retryAfter time.Duration) ollamatest.Reply {
	r := ollamatest.Error(status, message)
	if retryAfter > 0 {
		r = r.WithHeader("Retry-After", strconv.Itoa(int(retryAfter.Seconds())))
	}
	return r
}

type ollamaChatHarness struct {
	s *ollamatest.Server
	m *ollama.Model
}

func (h ollamaChatHarness) Model() llm.ChatModel   { return h.m }
func (h ollamaChatHarness) ScriptText(text string) { h.s.Enqueue(ollamatest.Text(text)) }
func (h ollamaChatHarness) ScriptHang()            { h.s.Enqueue(ollamatest.Hang()) }

func (h ollamaChatHarness) ScriptError(status int, message string, retryAfter time.Duration) {
	h.s.Enqueue(ollamaError(status, message, retryAfter))
}

func (h ollamaChatHarness) Requests() []conformance.Request {
	var out []conformance.Request
	for _, r := range h.s.Requests() {
		if r.Chat == nil {
			continue
		}
		rec := conformance.Request{Prompt: r.Prompt()}
		// "format" is "json" or a schema object.
		if f := bytes.TrimSpace(r.Format()); len(f) > 0 && f[0] == '{' && json.Valid(f) {
			rec.Schema = json.RawMessage(f)
		}
		out = append(out, rec)
	}
	return out
}

type ollamaEmbedHarness struct {
	s *ollamatest.Server
	e *ollama.Embedder
}

func (h ollamaEmbedHarness) Embedder() llm.Embedder { return h.e }
func (h ollamaEmbedHarness) ScriptHang()            { h.s.EnqueueEmbed(ollamatest.Hang()) }
func (h ollamaEmbedHarness) Received() int          { return h.s.EmbedInputCount() }

func (h ollamaEmbedHarness) ScriptError(status int, message string, retryAfter time.Duration) {
	h.s.EnqueueEmbed(ollamaError(status, message, retryAfter))
}

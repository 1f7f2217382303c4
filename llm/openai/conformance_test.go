package openai_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/conformance"
	"github.com/chorus-go/chorus/llm/openai"
)

// TestModelConformance runs the adapter conformance kit on Model, against
// the in-process OpenAI server.
func TestModelConformance(t *testing.T) {
	conformance.TestChatModel(t, func(t *testing.T) conformance.ChatHarness {
		s := openaitest.New(t, openaitest.WithAPIKey(conformanceKey))
		// Retries off: the kit checks how one failed response is reported.
		m, err := openai.New("gpt-4o-mini", openai.WithAPIKey(conformanceKey), openai.WithBaseURL(s.URL()), openai.WithHTTPClient(s.HTTPClient()), openai.WithMaxRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		return openaiChatHarness{s: s, m: m}
	})
}

// TestEmbedderConformance runs the conformance kit on Embedder.
func TestEmbedderConformance(t *testing.T) {
	conformance.TestEmbedder(t, func(t *testing.T) conformance.EmbedderHarness {
		s := openaitest.New(t, openaitest.WithAPIKey(conformanceKey))
		// Retries off: the kit checks how one failed response is reported.
		e, err := openai.NewEmbedder("text-embedding-3-small", openai.WithAPIKey(conformanceKey), openai.WithBaseURL(s.URL()), openai.WithHTTPClient(s.HTTPClient()), openai.WithMaxRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		return openaiEmbedHarness{s: s, e: e}
	})
}

const conformanceKey = "sk-conformance-0123456789"

// openaiError is the error a scripted status gets, with the type and code
// OpenAI gives it.
func openaiError(status int, message string, retryAfter time.Duration) openaitest.Reply {
	typ, code := "invalid_request_error", ""
	switch {
	case status == http.StatusUnauthorized:
		code = "invalid_api_key"
	case status == http.StatusNotFound:
		code = "model_not_found"
	case status == http.StatusTooManyRequests:
		typ, code = "requests", "rate_limit_exceeded"
	case status >= 500:
		typ = "server_error"
	}
	r := openaitest.Error(status, typ, code, message)
	if retryAfter > 0 {
		r = r.WithHeader("Retry-After", strconv.Itoa(int(retryAfter.Seconds())))
	}
	return r
}

type openaiChatHarness struct {
	s *openaitest.Server
	m *openai.Model
}

func (h openaiChatHarness) Model() llm.ChatModel   { return h.m }
func (h openaiChatHarness) ScriptText(text string) { h.s.EnqueueChat(openaitest.Text(text)) }
func (h openaiChatHarness) ScriptHang()            { h.s.EnqueueChat(openaitest.Hang()) }

func (h openaiChatHarness) ScriptError(status int, message string, retryAfter time.Duration) {
	h.s.EnqueueChat(openaiError(status, message, retryAfter))
}

func (h openaiChatHarness) Requests() []conformance.Request {
	var out []conformance.Request
	for _, r := range h.s.Requests() {
		if r.Path != string(openaitest.EndpointChat) {
			continue
		}
		rec := conformance.Request{Prompt: r.LastUserMessage()}
		var body struct {
			ResponseFormat *struct {
				Type       string `json:"type"`
				JSONSchema *struct {
					Schema json.RawMessage `json:"schema"`
				} `json:"json_schema"`
			} `json:"response_format"`
		}
		if json.Unmarshal(r.Body, &body) == nil && body.ResponseFormat != nil && body.ResponseFormat.JSONSchema != nil {
			rec.Schema = body.ResponseFormat.JSONSchema.Schema
		}
		out = append(out, rec)
	}
	return out
}

type openaiEmbedHarness struct {
	s *openaitest.Server
	e *openai.Embedder
}

func (h openaiEmbedHarness) Embedder() llm.Embedder { return h.e }
func (h openaiEmbedHarness) ScriptHang()            { h.s.EnqueueEmbeddings(openaitest.Hang()) }
func (h openaiEmbedHarness) Received() int          { return h.s.EmbeddingInputs() }

func (h openaiEmbedHarness) ScriptError(status int, message string, retryAfter time.Duration) {
	h.s.EnqueueEmbeddings(openaiError(status, message, retryAfter))
}

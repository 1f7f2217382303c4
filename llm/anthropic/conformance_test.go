package anthropic_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/chorus-go/chorus/internal/anthropictest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/anthropic"
	"github.com/chorus-go/chorus/llm/conformance"
)

// TestModelConformance runs the adapter conformance kit on Model, against
// the in-process Anthropic server.
func TestModelConformance(t *testing.T) {
	conformance.TestChatModel(t, func(t *testing.T) conformance.ChatHarness {
		s := anthropictest.New(t, anthropictest.WithAPIKey(conformanceKey))
		// Retries off: the kit checks how one failed response is reported.
		m, err := anthropic.New(modelName, anthropic.WithAPIKey(conformanceKey), anthropic.WithBaseURL(s.URL()),
			anthropic.WithHTTPClient(s.HTTPClient()), anthropic.WithMaxRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		return harness{s: s, m: m}
	})
}

const conformanceKey = "sk-ant-conformance-0123456789"

// anthropicError is the error a scripted status gets, with the type
// Anthropic gives it.
func anthropicError(status int, message string, retryAfter time.Duration) anthropictest.Reply {
	typ := "invalid_request_error"
	switch {
	case status == http.StatusUnauthorized:
		typ = "authentication_error"
	case status == http.StatusForbidden:
		typ = "permission_error"
	case status == http.StatusNotFound:
		typ = "not_found_error"
	case status == http.StatusTooManyRequests:
		typ = "rate_limit_error"
	case status == 529:
		typ = "overloaded_error"
	case status >= 500:
		typ = "api_error"
	}
	r := anthropictest.Error(status, typ, message)
	if retryAfter > 0 {
		r = r.WithHeader("retry-after", strconv.Itoa(int(retryAfter.Seconds())))
	}
	return r
}

type harness struct {
	s *anthropictest.Server
	m *anthropic.Model
}

func (h harness) Model() llm.ChatModel   { return h.m }
func (h harness) ScriptText(text string) { h.s.Enqueue(anthropictest.Text(text)) }
func (h harness) ScriptHang()            { h.s.Enqueue(anthropictest.Hang()) }

func (h harness) ScriptError(status int, message string, retryAfter time.Duration) {
	h.s.Enqueue(anthropicError(status, message, retryAfter))
}

func (h harness) Requests() []conformance.Request {
	var out []conformance.Request
	for _, r := range h.s.Requests() {
		if r.Path != anthropictest.Path {
			continue
		}
		out = append(out, conformance.Request{Prompt: r.LastUserMessage(), Schema: r.Schema()})
	}
	return out
}

package anthropic_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"

	"github.com/chorus-go/chorus/internal/anthropictest"
	"github.com/chorus-go/chorus/llm"
)

// TestErrors: every documented failure is an *llm.Error with the status,
// Anthropic's error type as Code, its message, the right retryability and
// the retry-after, for Chat and for Stream; the SDK's *anthropic.Error is
// still found by errors.As.
func TestErrors(t *testing.T) {
	cases := []struct {
		name      string
		reply     anthropictest.Reply
		status    int
		code      string
		temporary bool
		wait      time.Duration
		sentinel  error
	}{
		{"429 with retry-after", anthropictest.RateLimited(7 * time.Second), 429, "rate_limit_error", true, 7 * time.Second, llm.ErrRateLimited},
		{"529 overloaded", anthropictest.Overloaded(), 529, "overloaded_error", true, 0, llm.ErrServer},
		{"500 api_error", anthropictest.ServerError(), 500, "api_error", true, 0, llm.ErrServer},
		{"503", anthropictest.Unavailable(), 503, "api_error", true, 0, llm.ErrServer},
		{"400", anthropictest.BadRequest("messages: text content blocks must be non-empty"), 400, "invalid_request_error", false, 0, llm.ErrBadRequest},
		{"401", anthropictest.Unauthorized(), 401, "authentication_error", false, 0, llm.ErrAuth},
		{"403", anthropictest.PermissionDenied(), 403, "permission_error", false, 0, llm.ErrAuth},
		{"404", anthropictest.NotFound("claude-nope"), 404, "not_found_error", false, 0, llm.ErrModelNotFound},
		{"502 html", anthropictest.RawResponse(502, "text/html", "<html><title>502 Bad Gateway</title></html>"), 502, "", true, 0, llm.ErrServer},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := anthropictest.New(t)
			m := newModel(t, s)
			s.Enqueue(tc.reply, tc.reply)
			_, chatErr := m.Chat(ctxTimeout(t, 10*time.Second), user("hi"))
			_, streamErr := llm.Collect(m.Stream(ctxTimeout(t, 10*time.Second), user("hi")))
			for i, err := range []error{chatErr, streamErr} {
				var le *llm.Error
				if !errors.As(err, &le) {
					t.Fatalf("call %d: %v is not an *llm.Error", i, err)
				}
				if le.StatusCode != tc.status || le.Code != tc.code || le.Temporary != tc.temporary || le.Wait != tc.wait || le.Provider != "anthropic" {
					t.Errorf("call %d: %+v; want status %d, code %q, temporary %v, wait %v", i, le, tc.status, tc.code, tc.temporary, tc.wait)
				}
				if le.Message == "" || strings.Contains(le.Message, "{") {
					t.Errorf("call %d: message %q, want the provider's message", i, le.Message)
				}
				if !errors.Is(err, tc.sentinel) {
					t.Errorf("call %d: %v does not match %v", i, err, tc.sentinel)
				}
				var ae *sdk.Error
				if !errors.As(err, &ae) || ae.StatusCode != tc.status {
					t.Errorf("call %d: errors.As *anthropic.Error: %v", i, ae)
				}
			}
		})
	}
}

// TestStreamErrorEvent: an `event: error` in the middle of a stream is an
// *llm.Error with the status of its type, yielded after the text that came
// before it.
func TestStreamErrorEvent(t *testing.T) {
	s := anthropictest.New(t)
	m := newModel(t, s)
	s.Enqueue(anthropictest.StreamError("partial answer", "overloaded_error", "Overloaded"))
	var text strings.Builder
	var err error
	for c, e := range m.Stream(ctxTimeout(t, 10*time.Second), user("hi")) {
		if e != nil {
			err = e
			break
		}
		text.WriteString(c.Text)
	}
	if text.String() != "partial answer" {
		t.Errorf("text before the error %q", text.String())
	}
	var le *llm.Error
	if !errors.As(err, &le) || le.StatusCode != 529 || le.Code != "overloaded_error" || !le.Temporary || le.Message != "Overloaded" {
		t.Errorf("err = %#v, want a temporary 529 overloaded_error", err)
	}
}

// TestIncompleteAndUnreadable: a stream cut before message_stop, a body
// cut short and a garbled 200 are retryable *llm.Error values; the cut
// stream matches llm.ErrIncompleteStream.
func TestIncompleteAndUnreadable(t *testing.T) {
	s := anthropictest.New(t)
	m := newModel(t, s)

	s.Enqueue(anthropictest.CutStream("half"))
	_, err := llm.Collect(m.Stream(ctxTimeout(t, 10*time.Second), user("hi")))
	var le *llm.Error
	if !errors.Is(err, llm.ErrIncompleteStream) || !errors.As(err, &le) || !le.Temporary {
		t.Errorf("cut stream: %v, want a temporary llm.ErrIncompleteStream", err)
	}

	s.Enqueue(anthropictest.CutStream("half a body"))
	_, err = m.Chat(ctxTimeout(t, 10*time.Second), user("hi"))
	if !errors.As(err, &le) || !le.Temporary {
		t.Errorf("cut body: %v, want a temporary *llm.Error", err)
	}

	s.Enqueue(anthropictest.RawResponse(http.StatusOK, "application/json", `{"id":"msg_1","type":"message","content":<html>`))
	_, err = m.Chat(ctxTimeout(t, 10*time.Second), user("hi"))
	if !errors.As(err, &le) || !le.Temporary || le.StatusCode != 200 || !strings.Contains(le.Message, "unreadable") {
		t.Errorf("garbled body: %v, want a temporary unreadable-body *llm.Error", err)
	}

	s.Enqueue(anthropictest.RawResponse(http.StatusOK, "text/event-stream", "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"conte\n\n"))
	_, err = llm.Collect(m.Stream(ctxTimeout(t, 10*time.Second), user("hi")))
	if !errors.Is(err, llm.ErrIncompleteStream) || !errors.As(err, &le) || !le.Temporary {
		t.Errorf("garbled stream: %v, want a temporary llm.ErrIncompleteStream", err)
	}
}

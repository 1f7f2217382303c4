package gemini_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/genai"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/geminitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/gemini"
)

// TestErrors: Google's error bodies become *llm.Error values with the
// status, the status name as Code, the message, the retryability and the
// wait of a RetryInfo retryDelay or a Retry-After header; the SDK's
// genai.APIError stays reachable with errors.As.
func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name      string
		reply     geminitest.Reply
		status    int
		code      string
		retryable bool
		wait      time.Duration
		sentinel  error
	}{
		{"429 with RetryInfo", geminitest.RateLimited(3 * time.Second), 429, "RESOURCE_EXHAUSTED", true, 3 * time.Second, llm.ErrRateLimited},
		{"429 with Retry-After", geminitest.RateLimited(0).WithHeader("Retry-After", "7"), 429, "RESOURCE_EXHAUSTED", true, 7 * time.Second, llm.ErrRateLimited},
		{"429 fractional delay", geminitest.RateLimited(1500 * time.Millisecond), 429, "RESOURCE_EXHAUSTED", true, 1500 * time.Millisecond, llm.ErrRateLimited},
		{"503", geminitest.Unavailable(), 503, "UNAVAILABLE", true, 0, llm.ErrServer},
		{"500", geminitest.Error(500, "INTERNAL", "An internal error has occurred."), 500, "INTERNAL", true, 0, llm.ErrServer},
		{"400", geminitest.Error(400, "INVALID_ARGUMENT", "Invalid value at 'contents'"), 400, "INVALID_ARGUMENT", false, 0, llm.ErrBadRequest},
		{"403", geminitest.Error(403, "PERMISSION_DENIED", "denied"), 403, "PERMISSION_DENIED", false, 0, llm.ErrAuth},
		{"404", geminitest.NotFound("gemini-9"), 404, "NOT_FOUND", false, 0, llm.ErrModelNotFound},
		{"502 html", geminitest.RawResponse(502, "text/html", "<html><title>502 Bad Gateway</title></html>"), 502, "", true, 0, llm.ErrServer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t)
			m := newModel(t, s)
			s.EnqueueChat(tc.reply)
			_, err := m.Chat(context.Background(), user("x"))
			var le *llm.Error
			if !errors.As(err, &le) {
				t.Fatalf("err = %v, not an *llm.Error", err)
			}
			if le.Provider != "gemini" || le.StatusCode != tc.status || le.Code != tc.code || le.Retryable() != tc.retryable || le.RetryAfter() != tc.wait || le.Message == "" {
				t.Errorf("error = %+v", le)
			}
			if !errors.Is(err, tc.sentinel) {
				t.Errorf("%v does not match %v", err, tc.sentinel)
			}
			var ae genai.APIError
			if !errors.As(err, &ae) || ae.Code != tc.status {
				t.Errorf("errors.As genai.APIError: %+v", ae)
			}
			if tc.name == "502 html" && le.Message != "502 Bad Gateway" {
				t.Errorf("message = %q", le.Message)
			}
		})
	}
}

// TestWrongKey: the API's answer to a wrong key is a 400 that is not
// retryable.
func TestWrongKey(t *testing.T) {
	s := newServer(t)
	m, err := gemini.New("gemini-2.5-flash", gemini.WithAPIKey("AIza-wrong-key-123456"), gemini.WithBaseURL(s.URL()), gemini.WithHTTPClient(s.HTTPClient()))
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Chat(context.Background(), user("x"))
	if !errors.Is(err, llm.ErrBadRequest) || chain.IsRetryable(err) {
		t.Errorf("err = %v", err)
	}
	if n := len(s.Requests()); n != 1 {
		t.Errorf("%d requests, want 1 (not retried)", n)
	}
}

// TestBlocked: a prompt the filters blocked and an answer they stopped
// are *BlockedError values matching ErrBlocked, with the reason and the
// ratings, not retryable; a blocked prompt is the input's fault.
func TestBlocked(t *testing.T) {
	for _, tc := range []struct {
		name   string
		reply  geminitest.Reply
		prompt bool
		reason string
	}{
		{"prompt SAFETY", geminitest.Blocked("SAFETY"), true, "SAFETY"},
		{"prompt PROHIBITED_CONTENT", geminitest.Blocked("PROHIBITED_CONTENT"), true, "PROHIBITED_CONTENT"},
		{"answer SAFETY", geminitest.Stopped("Sure, here", "SAFETY"), false, "SAFETY"},
		{"answer RECITATION", geminitest.Stopped("", "RECITATION"), false, "RECITATION"},
		{"answer SPII", geminitest.Stopped("", "SPII"), false, "SPII"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t)
			m := newModel(t, s)
			s.EnqueueChat(tc.reply, tc.reply)
			_, chatErr := m.Chat(context.Background(), user("x"))
			_, streamErr := llm.Collect(m.Stream(context.Background(), user("x")))
			for _, err := range []error{chatErr, streamErr} {
				var be *gemini.BlockedError
				if !errors.As(err, &be) || !errors.Is(err, gemini.ErrBlocked) {
					t.Fatalf("err = %v", err)
				}
				if be.Prompt != tc.prompt || be.Reason != tc.reason || len(be.SafetyRatings) == 0 || !be.SafetyRatings[0].Blocked {
					t.Errorf("blocked = %+v", be)
				}
				if chain.IsRetryable(err) {
					t.Error("a block is retryable")
				}
				var in chain.InputError
				if got := errors.As(err, &in) && in.InvalidInput(); got != tc.prompt {
					t.Errorf("input error = %v, want %v", got, tc.prompt)
				}
			}
			if tc.name == "answer SAFETY" {
				var be *gemini.BlockedError
				errors.As(chatErr, &be)
				if be.Partial != "Sure, here" {
					t.Errorf("partial = %q", be.Partial)
				}
			}
			if !strings.Contains(chatErr.Error(), tc.reason) {
				t.Errorf("message %q does not name the reason", chatErr)
			}
		})
	}
}

// TestCancel: a cancelled call returns ctx's error promptly.
func TestCancel(t *testing.T) {
	s := newServer(t)
	m := newModel(t, s, gemini.WithMaxRetries(2))
	s.EnqueueChat(geminitest.Hang())
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		_ = s.WaitForRequests(ctxTimeout(t, 10*time.Second), 1)
		cancel()
	}()
	_, err := m.Chat(ctx, user("x"))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}

// TestUnreadableBody: a 200 with a body that is not JSON is a retryable
// error.
func TestUnreadableBody(t *testing.T) {
	s := newServer(t)
	m := newModel(t, s)
	s.EnqueueChat(geminitest.RawResponse(http.StatusOK, "application/json", `{"candidates": [`))
	_, err := m.Chat(context.Background(), user("x"))
	if !chain.IsRetryable(err) {
		t.Errorf("err = %v, want retryable", err)
	}
}

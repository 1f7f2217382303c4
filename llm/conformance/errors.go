package conformance

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"

	"github.com/chorus-go/chorus/chain/chaintest"
)

// statusCase is one HTTP failure the error checks script, and how the
// adapter must report it.
type statusCase struct {
	name       string
	status     int
	message    string
	retryAfter time.Duration
	sentinel   error
	retryable  bool
	// quoted: the error must carry the server's message. Adapters may
	// replace the messages of 401 and 404 with advice of their own.
	quoted bool
}

var statusCases = []statusCase{
	{"429_rate_limited", http.StatusTooManyRequests, "slow down: too many requests", 2 * time.Second, llm.ErrRateLimited, true, true},
	{"400_bad_request", http.StatusBadRequest, "temperature must be between 0 and 2", 0, llm.ErrBadRequest, false, true},
	{"401_unauthorised", http.StatusUnauthorized, "invalid API key", 0, llm.ErrAuth, false, false},
	{"404_model_not_found", http.StatusNotFound, "model not found", 0, llm.ErrModelNotFound, false, false},
	{"500_server_error", http.StatusInternalServerError, "the runner crashed", 0, llm.ErrServer, true, true},
	{"503_unavailable", http.StatusServiceUnavailable, "server overloaded, try later", 3 * time.Second, llm.ErrServer, true, true},
}

// checkStatusError checks that err reports the scripted HTTP failure as
// an *llm.Error that chain.Retry and chain.Breaker can act on.
func checkStatusError(t *testing.T, tc statusCase, err error) {
	t.Helper()
	if err == nil {
		t.Fatalf("the server answered %d and the call returned no error", tc.status)
	}
	var pe *llm.Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %q (%T) is not an *llm.Error (errors.As): chains cannot tell whether to retry it", err, err)
	}
	if pe.StatusCode != tc.status {
		t.Errorf("StatusCode = %d, want %d", pe.StatusCode, tc.status)
	}
	if pe.Provider == "" {
		t.Errorf("the *llm.Error names no Provider: %q", err)
	}
	if !errors.Is(err, tc.sentinel) {
		t.Errorf("error %q does not match %v (errors.Is)", err, tc.sentinel)
	}
	if got := chain.IsRetryable(err); got != tc.retryable {
		t.Errorf("chain.IsRetryable = %v, want %v for HTTP %d", got, tc.retryable, tc.status)
	}
	if tc.quoted && !strings.Contains(err.Error(), tc.message) {
		t.Errorf("error %q does not carry the server's message %q", err, tc.message)
	}
	if tc.retryAfter > 0 {
		got, ok := chain.RetryAfter(err)
		if !ok || got < tc.retryAfter-time.Second || got > tc.retryAfter+time.Second {
			t.Errorf("chain.RetryAfter = %v, %v; the server sent Retry-After: %d", got, ok, int(tc.retryAfter.Seconds()))
		}
	}
}

func (c *chatChecks) errors(t *testing.T) {
	for _, tc := range statusCases {
		t.Run(tc.name, func(t *testing.T) {
			h, m := c.setup(t)
			h.ScriptError(tc.status, tc.message, tc.retryAfter)
			_, err := m.Chat(callContext(t), ask("Is this a toad or a frog?"))
			checkStatusError(t, tc, err)
		})
	}
	t.Run("stream_429", func(t *testing.T) {
		h, m := c.setup(t)
		s := streamer(t, m)
		tc := statusCases[0]
		h.ScriptError(tc.status, tc.message, tc.retryAfter)
		_, err := llm.Collect(s.Stream(callContext(t), ask("Is this a toad or a frog?")))
		checkStatusError(t, tc, err)
	})
	t.Run("retry_recovers", func(t *testing.T) {
		h, m := c.setup(t)
		h.ScriptError(http.StatusServiceUnavailable, "server overloaded, try later", 0)
		h.ScriptText("a common toad")
		retry := chain.Retry(llm.ChatChain(m), chain.Attempts(3), chain.RetryClock(chaintest.NewAutoClock(time.Now())))
		resp, err := retry.Run(callContext(t), ask("Is this a toad or a frog?"))
		if err != nil {
			t.Fatalf("chain.Retry over a 503 then an answer: %v", err)
		}
		if resp.Text() != "a common toad" {
			t.Errorf("answer %q after the retry, want %q", resp.Text(), "a common toad")
		}
		if n := len(h.Requests()); n != 2 {
			t.Errorf("the server received %d requests, want 2 (the failure and the retry)", n)
		}
	})
}

package serve_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/serve"
	"github.com/chorus-go/chorus/internal/redact/redacttest"
)

// TestRequestCredentialsNotShown: a chain whose error repeats the
// caller's credentials (its Authorization and X-Api-Key headers) and a
// URL with a password; with WithErrorDetails, neither the reply nor the
// log shows them, and the status is still the error's.
func TestRequestCredentialsNotShown(t *testing.T) {
	const token = "client-token-5e8a1f3c9b"
	const apiKey = "client-api-key-0d7b4c2e6a"
	leaky := chain.Fn(func(ctx context.Context, in Req) (Resp, error) {
		ue := &url.Error{Op: "Get", URL: "https://bob:hunter2-secret@upstream.example/x", Err: errors.New("refused")}
		err := errors.Join(ue, errors.New("upstream said: bad token Bearer "+token+", key "+apiKey))
		if in.Text == "input" {
			return Resp{}, chain.MarkInvalidInput(err)
		}
		return Resp{}, err
	})
	log := redacttest.NewLog()
	h := mustHandler(t, leaky, serve.WithErrorDetails(), serve.WithLogger(log.Logger))
	srv := httptest.NewServer(serve.AccessLog(log.Logger, h))
	t.Cleanup(srv.Close)
	c := srv.Client()
	t.Cleanup(c.CloseIdleConnections)
	for _, tc := range []struct {
		text   string
		status int
	}{{"run", http.StatusInternalServerError}, {"input", http.StatusBadRequest}} {
		for _, accept := range []string{"", "text/event-stream"} {
			r := do(t, c, http.MethodPost, srv.URL, "application/json", `{"text":"`+tc.text+`"}`,
				"Authorization", "Bearer "+token, "X-Api-Key", apiKey, "Accept", accept)
			if r.status != tc.status {
				t.Errorf("%s %q: status %d, want %d: %s", tc.text, accept, r.status, tc.status, r.body)
			}
			if !strings.Contains(r.body, "refused") {
				t.Errorf("%s %q: body %s, want the error's details", tc.text, accept, r.body)
			}
			for _, secret := range []string{token, apiKey, "hunter2-secret"} {
				redacttest.NoSecret(t, secret, "the reply", r.body)
			}
		}
	}
	if !strings.Contains(log.String(), "serve: chain failed") {
		t.Fatalf("log = %s, want the failures", log.String())
	}
	for _, secret := range []string{token, apiKey, "hunter2-secret"} {
		redacttest.NoSecret(t, secret, "the log", log.String())
	}
}

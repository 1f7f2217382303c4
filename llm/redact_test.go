package llm_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/llm"
)

const secret = "sk-live+Key/0123456789"

func TestRedactorString(t *testing.T) {
	r := llm.NewRedactor(secret, "Bearer tok-abcdefgh1234", "short", "")
	for _, tc := range []struct{ in, want string }{
		{"key " + secret + " again " + secret, "key [redacted] again [redacted]"},
		{"q=" + url.QueryEscape(secret), "q=[redacted]"},
		{"path " + url.PathEscape(secret), "path [redacted]"},
		{"auth tok-abcdefgh1234", "auth [redacted]"},
		{"short stays", "short stays"},
		{"see https://bob:pw@host.example/x?y=1 and http://host/@z", "see https://[redacted]@host.example/x?y=1 and http://host/@z"},
		{"mail bob@example.com", "mail bob@example.com"},
	} {
		if got := r.String(tc.in); got != tc.want {
			t.Errorf("String(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	var nilR *llm.Redactor
	if got := nilR.String("a " + secret + " http://u:p@h/"); got != "a "+secret+" http://[redacted]@h/" {
		t.Errorf("nil Redactor: %q", got)
	}
}

// TestRedactorError: every text of the chain is scrubbed; sentinels,
// *llm.Error and *url.Error are still found; a clean error is returned as
// it is.
func TestRedactorError(t *testing.T) {
	r := llm.NewRedactor(secret)
	clean := fmt.Errorf("wrapped: %w", context.Canceled)
	if got := r.Error(clean); got != clean {
		t.Errorf("clean error replaced: %v", got)
	}
	if r.Error(nil) != nil {
		t.Error("Error(nil) != nil")
	}
	ue := &url.Error{Op: "Post", URL: "http://h/?k=" + url.QueryEscape(secret), Err: fmt.Errorf("dial %s: %w", secret, context.DeadlineExceeded)}
	base := &llm.Error{Provider: "p", Model: "m", StatusCode: 429, Code: secret, Message: "bad " + secret, Err: ue}
	err := fmt.Errorf("%w: call: %w", llm.ErrInvalidRequest, errors.Join(base, errors.New("also "+secret)))
	got := r.Error(err)
	var texts []string
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		texts = append(texts, e.Error(), fmt.Sprintf("%+v", e))
		switch x := e.(type) {
		case interface{ Unwrap() error }:
			walk(x.Unwrap())
		case interface{ Unwrap() []error }:
			for _, k := range x.Unwrap() {
				walk(k)
			}
		}
	}
	walk(got)
	for _, s := range texts {
		if strings.Contains(s, secret) || strings.Contains(s, url.QueryEscape(secret)) {
			t.Errorf("shows the secret: %s", s)
		}
	}
	if !errors.Is(got, llm.ErrInvalidRequest) || !errors.Is(got, llm.ErrRateLimited) || !errors.Is(got, context.DeadlineExceeded) {
		t.Errorf("sentinels lost: %v", got)
	}
	var le *llm.Error
	if !errors.As(got, &le) || le.StatusCode != 429 || le.Code != llm.Redacted || le.Message != "bad "+llm.Redacted {
		t.Errorf("*llm.Error = %+v", le)
	}
	var gotURL *url.Error
	if !errors.As(got, &gotURL) || gotURL.URL != "http://h/?k="+llm.Redacted || gotURL.Op != "Post" {
		t.Errorf("*url.Error = %+v", gotURL)
	}
	if base.Code != secret || ue.URL == gotURL.URL {
		t.Error("the original errors were changed")
	}
}

func TestRedactorHeader(t *testing.T) {
	r := llm.NewRedactor(secret)
	h := http.Header{"Authorization": {"Bearer whatever"}, "X-Request-Id": {"id-" + secret}, "Set-Cookie": {"a=b"}, "Accept": {"x"}}
	got := r.Header(h)
	want := http.Header{"Authorization": {llm.Redacted}, "X-Request-Id": {"id-" + llm.Redacted}, "Set-Cookie": {llm.Redacted}, "Accept": {"x"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Header = %v, want %v", got, want)
	}
	if h.Get("Authorization") != "Bearer whatever" {
		t.Error("the original header was changed")
	}
	if creds := llm.CredentialHeaders(h); len(creds) != 2 {
		t.Errorf("CredentialHeaders = %q", creds)
	}
}

func ExampleRedactor() {
	r := llm.NewRedactor("sk-abc123def456")
	err := &llm.Error{Provider: "openai", Model: "gpt-4o", StatusCode: 401, Code: "sk-abc123def456",
		Message: "Incorrect API key provided: sk-abc123def456"}
	fmt.Println(r.Error(err))
	fmt.Println(errors.Is(r.Error(err), llm.ErrAuth))
	// Output:
	// openai gpt-4o: HTTP 401 ([redacted]): Incorrect API key provided: [redacted]
	// true
}

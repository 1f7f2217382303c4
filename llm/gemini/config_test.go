package gemini_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/geminitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/gemini"
)

// TestKeyFromEnvironment: GOOGLE_API_KEY wins over GEMINI_API_KEY, as in
// the SDK; either alone works; WithAPIKey wins over both; none is
// ErrNoAPIKey. The Gemini API is used even when the environment asks the
// SDK for Vertex AI.
func TestKeyFromEnvironment(t *testing.T) {
	s := newServer(t)
	chat := func(opts ...gemini.Option) (*geminitest.Request, error) {
		m, err := gemini.New("gemini-2.5-flash", append([]gemini.Option{gemini.WithBaseURL(s.URL()), gemini.WithHTTPClient(s.HTTPClient()), gemini.WithMaxRetries(0)}, opts...)...)
		if err != nil {
			return nil, err
		}
		_, _ = m.Chat(context.Background(), user("x"))
		r, _ := s.LastRequest()
		return &r, nil
	}
	t.Setenv("GOOGLE_GENAI_USE_VERTEXAI", "true")
	t.Setenv("GOOGLE_CLOUD_PROJECT", "p")
	t.Setenv("GOOGLE_CLOUD_LOCATION", "us-central1")
	for _, tc := range []struct{ google, gemini, want string }{
		{"google-key-0123456789", "gemini-key-0123456789", "google-key-0123456789"},
		{"", "gemini-key-0123456789", "gemini-key-0123456789"},
		{"google-key-0123456789", "", "google-key-0123456789"},
	} {
		t.Setenv(gemini.EnvGoogleAPIKey, tc.google)
		t.Setenv(gemini.EnvGeminiAPIKey, tc.gemini)
		r, err := chat()
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Header.Get("X-Goog-Api-Key"); got != tc.want {
			t.Errorf("GOOGLE=%q GEMINI=%q: key %q, want %q", tc.google, tc.gemini, got, tc.want)
		}
		if !strings.HasPrefix(r.Path, "/v1beta/models/") {
			t.Errorf("path %s is not the Gemini API's", r.Path)
		}
	}
	r, err := chat(gemini.WithAPIKey(testKey))
	if err != nil || r.Header.Get("X-Goog-Api-Key") != testKey {
		t.Errorf("WithAPIKey: %v, %v", r, err)
	}
	t.Setenv(gemini.EnvGoogleAPIKey, "")
	t.Setenv(gemini.EnvGeminiAPIKey, "")
	_, err = chat()
	if !errors.Is(err, gemini.ErrNoAPIKey) || !errors.Is(err, chain.ErrConfig) {
		t.Errorf("no key: %v", err)
	}
	if _, err := gemini.NewEmbedder("e"); !errors.Is(err, gemini.ErrNoAPIKey) {
		t.Errorf("embedder with no key: %v", err)
	}
}

// TestBadOptions: each bad value makes the constructor fail with an error
// matching chain.ErrConfig that names the package and the value; Must
// forms panic with it.
func TestBadOptions(t *testing.T) {
	key := gemini.WithAPIKey(testKey)
	for name, opts := range map[string][]gemini.Option{
		"nil client":     {key, gemini.WithHTTPClient(nil)},
		"bad base URL":   {key, gemini.WithBaseURL("not a url")},
		"empty version":  {key, gemini.WithAPIVersion("")},
		"negative retry": {key, gemini.WithMaxRetries(-1)},
		"bad backoff":    {key, gemini.WithRetryBackoff(2*time.Second, time.Second)},
		"zero wait":      {key, gemini.WithMaxRetryWait(0)},
		"neg timeout":    {key, gemini.WithTimeout(-time.Second)},
		"bad options":    {key, gemini.WithOptions(llm.Options{MaxTokens: -1})},
	} {
		_, err := gemini.New("gemini-2.5-flash", opts...)
		if !errors.Is(err, chain.ErrConfig) || !strings.Contains(err.Error(), "gemini.New") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if _, err := gemini.New(" ", key); !errors.Is(err, chain.ErrConfig) {
		t.Errorf("empty model: %v", err)
	}
	for name, opt := range map[string]gemini.EmbedOption{
		"dimensions": gemini.WithDimensions(0), "batch 0": gemini.WithBatchSize(0),
		"batch 101": gemini.WithBatchSize(101), "task": gemini.WithTaskType(""),
	} {
		if _, err := gemini.NewEmbedder("e", key, opt); !errors.Is(err, chain.ErrConfig) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	defer func() {
		if err, _ := recover().(error); !errors.Is(err, chain.ErrConfig) {
			t.Errorf("MustNew panicked with %v", err)
		}
	}()
	gemini.MustNew("")
}

// TestHTTPClientKept: the caller's client sends the requests (its
// transport is wrapped, not replaced) and is not changed.
func TestHTTPClientKept(t *testing.T) {
	s := newServer(t)
	var seen int
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		seen++
		return s.HTTPClient().Transport.RoundTrip(r)
	})}
	before := hc.Transport
	m, err := gemini.New("gemini-2.5-flash", gemini.WithAPIKey(testKey), gemini.WithBaseURL(s.URL()), gemini.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Chat(context.Background(), user("x")); err != nil {
		t.Fatal(err)
	}
	if seen != 1 {
		t.Errorf("the client sent %d requests", seen)
	}
	if _, ok := hc.Transport.(roundTripFunc); !ok || hc.Transport == nil || before == nil {
		t.Error("the caller's client was changed")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

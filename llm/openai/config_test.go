package openai_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/openai"
)

func TestEnvDefaults(t *testing.T) {
	s := openaitest.New(t, openaitest.WithAPIKey(testKey))
	t.Setenv(openai.EnvAPIKey, testKey)
	t.Setenv(openai.EnvBaseURL, s.URL())
	t.Setenv(openai.EnvOrgID, "org-env")
	m, err := openai.New("gpt-4o-mini", openai.WithHTTPClient(s.HTTPClient()))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := m.Chat(context.Background(), user("from env"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Text() != "from env" {
		t.Errorf("text = %q", resp.Text())
	}
	r, _ := s.LastRequest()
	if r.Header.Get("OpenAI-Organization") != "org-env" {
		t.Errorf("organization header = %q", r.Header.Get("OpenAI-Organization"))
	}

	// Options win over the environment.
	other := openaitest.New(t)
	m, err = openai.New("gpt-4o-mini", openai.WithAPIKey("sk-option"), openai.WithBaseURL(other.URL()),
		openai.WithOrganization("org-option"), openai.WithHTTPClient(other.HTTPClient()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Chat(context.Background(), user("x")); err != nil {
		t.Fatal(err)
	}
	r, _ = other.LastRequest()
	if r.Header.Get("Authorization") != "Bearer sk-option" || r.Header.Get("OpenAI-Organization") != "org-option" {
		t.Errorf("headers = %v", r.Header)
	}
}

func TestNoKeyWithBaseURL(t *testing.T) {
	s := openaitest.New(t)
	t.Setenv(openai.EnvAPIKey, "")
	t.Setenv(openai.EnvBaseURL, s.URL())
	m, err := openai.New("llama-3.2-3b", openai.WithHTTPClient(s.HTTPClient()))
	if err != nil {
		t.Fatalf("a base URL without a key is fine (local servers): %v", err)
	}
	if _, err := m.Chat(context.Background(), user("x")); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.LastRequest(); r.Header.Get("Authorization") != "" {
		t.Errorf("Authorization = %q, want none", r.Header.Get("Authorization"))
	}
	e, err := openai.NewEmbedder("nomic-embed-text", openai.WithHTTPClient(s.HTTPClient()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Embed(context.Background(), []string{"x"}); err != nil {
		t.Fatal(err)
	}
}

func TestConstructorErrors(t *testing.T) {
	t.Setenv(openai.EnvAPIKey, "")
	t.Setenv(openai.EnvBaseURL, "")
	if _, err := openai.New("gpt-4o-mini"); !errors.Is(err, openai.ErrNoAPIKey) ||
		!strings.Contains(err.Error(), "OPENAI_API_KEY") || !strings.Contains(err.Error(), "OPENAI_BASE_URL") {
		t.Errorf("no key, no base URL: err = %v, want ErrNoAPIKey naming both variables", err)
	}
	if _, err := openai.NewEmbedder("text-embedding-3-small"); !errors.Is(err, openai.ErrNoAPIKey) {
		t.Errorf("NewEmbedder: err = %v, want ErrNoAPIKey", err)
	}
	if _, err := openai.New("", openai.WithAPIKey("k")); err == nil {
		t.Error("empty model accepted")
	}
	for _, u := range []string{"localhost:8000/v1", "ftp://host/v1", "http://", "http://user:pw@%zz"} {
		_, err := openai.New("m", openai.WithBaseURL(u))
		if err == nil {
			t.Errorf("base URL %q accepted", u)
		} else if strings.Contains(err.Error(), "pw") {
			t.Errorf("error shows the URL's password: %v", err)
		}
	}
}

// TestInvalidOptions: a bad option value is an error of the constructor,
// matching chain.ErrConfig, never ignored.
func TestInvalidOptions(t *testing.T) {
	key := openai.WithAPIKey("k")
	for name, build := range map[string]func() error{
		"nil http client": func() error { _, err := openai.New("m", key, openai.WithHTTPClient(nil)); return err },
		"typed nil http client": func() error {
			_, err := openai.NewEmbedder("e", key, openai.WithHTTPClient((*http.Client)(nil)))
			return err
		},
		"negative max tokens": func() error {
			_, err := openai.New("m", key, openai.WithOptions(llm.Options{MaxTokens: -1}))
			return err
		},
		"dimensions 0":  func() error { _, err := openai.NewEmbedder("e", key, openai.WithDimensions(0)); return err },
		"batch size 0":  func() error { _, err := openai.NewEmbedder("e", key, openai.WithBatchSize(0)); return err },
		"max tokens -1": func() error { _, err := openai.NewEmbedder("e", key, openai.WithMaxRequestTokens(-1)); return err },
		"concurrency 0": func() error { _, err := openai.NewEmbedder("e", key, openai.WithConcurrency(0)); return err },
		"empty model":   func() error { _, err := openai.New(" ", key); return err },
		"bad base URL":  func() error { _, err := openai.New("m", openai.WithBaseURL("ftp://x")); return err },
		"no key, no server": func() error {
			t.Setenv(openai.EnvAPIKey, "")
			t.Setenv(openai.EnvBaseURL, "")
			_, err := openai.New("m")
			return err
		},
	} {
		err := build()
		if !errors.Is(err, chain.ErrConfig) {
			t.Errorf("%s: err = %v, want one matching chain.ErrConfig", name, err)
		}
	}
	func() {
		defer func() {
			if err, _ := recover().(error); !errors.Is(err, chain.ErrConfig) {
				t.Errorf("MustEmbedder panicked with %v, want chain.ErrConfig", err)
			}
		}()
		openai.MustEmbedder("e", key, openai.WithBatchSize(-3))
	}()
	if _, err := chain.Build(func() *openai.Model { return openai.MustNew("m", key, openai.WithHTTPClient(nil)) }); !errors.Is(err, chain.ErrConfig) {
		t.Errorf("chain.Build(MustNew) = %v, want chain.ErrConfig", err)
	}
	if m := openai.MustNew("m", key); m == nil {
		t.Error("MustNew returned nil")
	}
}

package ollama_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/ollamatest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/ollama"
)

// OLLAMA_HOST is honoured in the forms the ollama command takes.
func TestOllamaHost(t *testing.T) {
	s := ollamatest.New(t)
	for _, host := range []string{s.URL().String(), s.URL().Host, "  '" + s.URL().String() + "'  "} {
		t.Setenv("OLLAMA_HOST", host)
		m, err := ollama.New("m", ollama.WithHTTPClient(s.HTTPClient()))
		if err != nil {
			t.Fatal(err)
		}
		if m.Host() != s.URL().String() {
			t.Errorf("OLLAMA_HOST=%q: Host = %q", host, m.Host())
		}
		if resp, err := m.Chat(testContext(t), ask("hello")); err != nil || resp.Text() != "hello" {
			t.Errorf("OLLAMA_HOST=%q: Chat = %q, %v", host, resp.Text(), err)
		}
		e, err := ollama.NewEmbedder("e", ollama.WithHTTPClient(s.HTTPClient()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Embed(testContext(t), []string{"x"}); err != nil {
			t.Errorf("OLLAMA_HOST=%q: Embed: %v", host, err)
		}
	}
	// WithHost wins over OLLAMA_HOST.
	t.Setenv("OLLAMA_HOST", "nowhere.invalid:1")
	if m := newModel(t, s, "m"); m.Host() != s.URL().String() {
		t.Errorf("Host = %q", m.Host())
	}
	t.Setenv("OLLAMA_HOST", "")
	if m, err := ollama.New("m"); err != nil || m.Host() != ollama.DefaultHost {
		t.Errorf("no OLLAMA_HOST: Host = %q, %v", m.Host(), err)
	}
	t.Setenv("OLLAMA_HOST", "host:notaport")
	if _, err := ollama.New("m"); err == nil || !strings.Contains(err.Error(), "OLLAMA_HOST") {
		t.Errorf("bad OLLAMA_HOST: err = %v", err)
	}
}

func TestConstructorErrors(t *testing.T) {
	bad := map[string]func() error{
		"empty name":     func() error { _, err := ollama.New(""); return err },
		"nil client":     func() error { _, err := ollama.New("m", ollama.WithClient(nil)); return err },
		"nil http":       func() error { _, err := ollama.New("m", ollama.WithHTTPClient(nil)); return err },
		"bad host":       func() error { _, err := ollama.New("m", ollama.WithHost("ftp://x")); return err },
		"batch size":     func() error { _, err := ollama.NewEmbedder("e", ollama.WithBatchSize(0)); return err },
		"dimensions":     func() error { _, err := ollama.NewEmbedder("e", ollama.WithDimensions(-1)); return err },
		"embedder empty": func() error { _, err := ollama.NewEmbedder(""); return err },
		"typed nil http": func() error {
			_, err := ollama.NewEmbedder("e", ollama.WithHTTPClient((*http.Client)(nil)))
			return err
		},
		"negative max tokens": func() error {
			_, err := ollama.New("m", ollama.WithOptions(llm.Options{MaxTokens: -1}))
			return err
		},
		"bad OLLAMA_HOST": func() error {
			t.Setenv("OLLAMA_HOST", "host:notaport")
			_, err := ollama.New("m")
			return err
		},
	}
	for name, f := range bad {
		if err := f(); !errors.Is(err, chain.ErrConfig) {
			t.Errorf("%s: err = %v, want one matching chain.ErrConfig", name, err)
		}
	}
	if _, err := chain.Build(func() *ollama.Embedder { return ollama.MustEmbedder("e", ollama.WithBatchSize(0)) }); !errors.Is(err, chain.ErrConfig) {
		t.Errorf("chain.Build(MustEmbedder) = %v, want chain.ErrConfig", err)
	}
	if m := ollama.MustNew("m", ollama.WithHost("localhost")); m == nil {
		t.Error("MustNew returned nil")
	}
}

// A Doer that is not an *http.Client carries the requests, and
// WithOptions gives every request its defaults, under the request's own.
func TestDoerAndDefaultOptions(t *testing.T) {
	s := ollamatest.New(t)
	var calls atomic.Int32
	doer := doerFunc(func(r *http.Request) (*http.Response, error) {
		calls.Add(1)
		return s.HTTPClient().Do(r)
	})
	temp, seed := 0.5, 7
	m, err := ollama.New("m", ollama.WithHost(s.URL().String()), ollama.WithHTTPClient(doer),
		ollama.WithOptions(llm.Options{Temperature: &temp, Seed: &seed, MaxTokens: 50}))
	if err != nil {
		t.Fatal(err)
	}
	own := 0.1
	req := ask("x")
	req.Temperature = &own
	if _, err := m.Chat(testContext(t), req); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 1 {
		t.Errorf("%d calls through the Doer, want 1", calls.Load())
	}
	want := map[string]any{"temperature": 0.1, "seed": 7.0, "num_predict": 50.0}
	if got := lastRequest(t, s).Chat.Options; !cmp.Equal(want, got) {
		t.Errorf("options sent = %v, want %v", got, want)
	}
}

type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

// WithLogger reports what the adapter cannot carry.
func TestLogger(t *testing.T) {
	s := ollamatest.New(t)
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	m := newModel(t, s, "m", ollama.WithLogger(log))
	req := ask("x")
	req.Tools = []llm.Tool{{Name: "f", Parameters: json.RawMessage(`{"type":"object","properties":{"n":{"type":"integer","minimum":1}}}`)}}
	req.ToolChoice = "required"
	if _, err := m.Chat(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"properties.n.minimum", `tool choice \"required\" cannot be enforced`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

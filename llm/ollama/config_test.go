package ollama_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

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
	}
	for name, f := range bad {
		if err := f(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

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

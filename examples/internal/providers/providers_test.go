package providers_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/examples/internal/providers"
	"github.com/chorus-go/chorus/internal/geminitest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestParse(t *testing.T) {
	got, err := providers.ParseList("openai:gpt-4o, anthropic, azure:my-dep,gemini,ollama:llama3.2")
	want := []providers.Spec{{"openai", "gpt-4o"}, {"anthropic", "claude-sonnet-4-5"}, {"azure", "my-dep"}, {"gemini", "gemini-2.5-flash"}, {"ollama", "llama3.2"}}
	if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("ParseList = %v, %v", got, err)
	}
	_, err = providers.Parse("bard:pro")
	if !errors.Is(err, providers.ErrUnknownProvider) || !errors.Is(err, chain.ErrConfig) {
		t.Errorf("unknown provider: %v", err)
	}
}

func TestDetect(t *testing.T) {
	vars := map[string]string{"GEMINI_API_KEY": "k", "ANTHROPIC_API_KEY": "k", "AZURE_OPENAI_ENDPOINT": "https://x", "OLLAMA_HOST": "h"}
	got := providers.Detect(providers.Env{Getenv: func(k string) string { return vars[k] }})
	if fmt.Sprint(got) != "[azure:gpt-4o-mini anthropic:claude-sonnet-4-5 gemini:gemini-2.5-flash]" {
		t.Errorf("Detect = %v", got)
	}
}

// Gemini's embedder is built from the environment and answers through
// the real genai client against the Gemini API's test server; Anthropic
// has none.
func TestEmbedder(t *testing.T) {
	s := geminitest.New(t, geminitest.WithAPIKey("gk"))
	vars := map[string]string{"GOOGLE_API_KEY": "gk", "GOOGLE_GEMINI_BASE_URL": s.URL()}
	e, err := providers.Embedder(providers.Spec{Provider: "gemini"}, providers.Env{Getenv: func(k string) string { return vars[k] }, HTTPClient: s.HTTPClient()})
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.Embed(context.Background(), []string{"a", "b"})
	if err != nil || len(v) != 2 || len(v[0]) == 0 {
		t.Fatalf("Embed = %v, %v", v, err)
	}
	if req, _ := s.LastRequest(); req.Model != "gemini-embedding-001" {
		t.Errorf("model %q", req.Model)
	}
	if _, err := providers.Embedder(providers.Spec{Provider: "anthropic"}, providers.Env{}); !errors.Is(err, providers.ErrNoEmbeddings) {
		t.Errorf("anthropic embeddings: %v", err)
	}
}

func ExampleParse() {
	s, _ := providers.Parse("anthropic")
	fmt.Println(s)
	// Output: anthropic:claude-sonnet-4-5
}

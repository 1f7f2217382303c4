// Package providers is the one place the examples turn a model's name,
// "provider:model" as in -models openai:gpt-4o-mini, and the environment
// into a chat model or an embedder.
//
// The providers and the variables that configure them:
//
//	openai     OPENAI_API_KEY, OPENAI_BASE_URL (any OpenAI-compatible server)
//	azure      AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY, AZURE_OPENAI_API_VERSION
//	           (the name after "azure:" is the deployment)
//	anthropic  ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL
//	gemini     GOOGLE_API_KEY or GEMINI_API_KEY, GOOGLE_GEMINI_BASE_URL
//	ollama     OLLAMA_HOST
//
// Detect lists the remote providers whose variables are set, in that
// order of precedence: openai, azure, anthropic, gemini. Ollama is not
// in it: the examples look for it on their own (its default host
// answering a ping is enough for some).
//
// Every model is built with the adapter's own retries off
// (reliable.AdapterRetries): the caller wraps it in the guard of
// examples/internal/reliable, which retries.
package providers

import (
	"errors"
	"fmt"
	"strings"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm/anthropic"
	"github.com/chorus-go/chorus/llm/gemini"
	"github.com/chorus-go/chorus/llm/openai"
)

// The providers' names, as written before the colon.
const (
	OpenAI    = "openai"
	Azure     = "azure"
	Anthropic = "anthropic"
	Gemini    = "gemini"
	Ollama    = "ollama"
)

// Variables read besides the adapters' own (openai.EnvAPIKey and the
// like).
const (
	// EnvOllamaHost is Ollama's server, host:port or a URL.
	EnvOllamaHost = "OLLAMA_HOST"
	// EnvGeminiBaseURL is the Gemini API's base URL, as the genai SDK
	// reads it.
	EnvGeminiBaseURL = "GOOGLE_GEMINI_BASE_URL"
)

// ErrUnknownProvider is the error of a spec whose provider is none of
// Names. It matches chain.ErrConfig too.
var ErrUnknownProvider = fmt.Errorf("%w: providers: unknown provider", chain.ErrConfig)

// Spec names a model: a provider and the model's name (for azure, the
// deployment's).
type Spec struct {
	Provider string
	Name     string
}

// String returns provider:name.
func (s Spec) String() string { return s.Provider + ":" + s.Name }

// Names returns the providers' names, in the order Detect prefers them,
// Ollama last.
func Names() []string { return []string{OpenAI, Azure, Anthropic, Gemini, Ollama} }

// DefaultModel returns the chat model a provider's bare name stands for
// ("anthropic" is "anthropic:claude-sonnet-4-5"), "" for an unknown
// provider.
func DefaultModel(provider string) string {
	switch provider {
	case OpenAI, Azure:
		return "gpt-4o-mini"
	case Anthropic:
		return "claude-sonnet-4-5"
	case Gemini:
		return "gemini-2.5-flash"
	case Ollama:
		return "llama3.2"
	}
	return ""
}

// DefaultEmbedModel returns the embedding model a provider's bare name
// stands for, "" for a provider with none (anthropic has no embeddings
// API) or an unknown one.
func DefaultEmbedModel(provider string) string {
	switch provider {
	case OpenAI, Azure:
		return "text-embedding-3-small"
	case Gemini:
		return "gemini-embedding-001"
	case Ollama:
		return "nomic-embed-text"
	}
	return ""
}

// Parse reads one spec, "provider:model" or a bare provider for its
// DefaultModel. An unknown provider is an error matching
// ErrUnknownProvider and chain.ErrConfig.
func Parse(s string) (Spec, error) {
	provider, name, _ := strings.Cut(strings.TrimSpace(s), ":")
	provider, name = strings.ToLower(strings.TrimSpace(provider)), strings.TrimSpace(name)
	def := DefaultModel(provider)
	if def == "" {
		return Spec{}, fmt.Errorf("%w %q in %q: want one of %s (as in openai:gpt-4o-mini, anthropic:claude-sonnet-4-5)",
			ErrUnknownProvider, provider, s, strings.Join(Names(), ", "))
	}
	if name == "" {
		name = def
	}
	return Spec{Provider: provider, Name: name}, nil
}

// ParseList reads a comma-separated list of specs; empty items are
// skipped.
func ParseList(list string) ([]Spec, error) {
	var out []Spec
	var errs []error
	for _, item := range strings.Split(list, ",") {
		if strings.TrimSpace(item) == "" {
			continue
		}
		s, err := Parse(item)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, s)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// Configured says whether the environment configures a provider: its
// key or its server is set. Ollama is configured by OLLAMA_HOST.
func Configured(provider string, env Env) bool {
	switch provider {
	case OpenAI:
		return env.get(openai.EnvAPIKey) != "" || env.get(openai.EnvBaseURL) != ""
	case Azure:
		return env.get(openai.EnvAzureEndpoint) != ""
	case Anthropic:
		return env.get(anthropic.EnvAPIKey) != "" || env.get(anthropic.EnvBaseURL) != ""
	case Gemini:
		return env.get(gemini.EnvGoogleAPIKey) != "" || env.get(gemini.EnvGeminiAPIKey) != ""
	case Ollama:
		return env.get(EnvOllamaHost) != ""
	}
	return false
}

// Detect returns the default model of every remote provider the
// environment configures, in order of precedence: openai (OPENAI_API_KEY
// or OPENAI_BASE_URL), azure (AZURE_OPENAI_ENDPOINT), anthropic
// (ANTHROPIC_API_KEY or ANTHROPIC_BASE_URL), gemini (GOOGLE_API_KEY or
// GEMINI_API_KEY). Ollama is left to the caller.
func Detect(env Env) []Spec {
	var out []Spec
	for _, p := range []string{OpenAI, Azure, Anthropic, Gemini} {
		if Configured(p, env) {
			out = append(out, Spec{Provider: p, Name: DefaultModel(p)})
		}
	}
	return out
}

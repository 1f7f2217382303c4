package providers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/chorus-go/chorus/examples/internal/reliable"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/anthropic"
	"github.com/chorus-go/chorus/llm/gemini"
	"github.com/chorus-go/chorus/llm/ollama"
	"github.com/chorus-go/chorus/llm/openai"
)

// Env is where the providers' settings come from. The zero value reads
// the process's environment and uses the adapters' HTTP clients.
type Env struct {
	// Getenv reads a variable (nil: os.Getenv). Tests give their own.
	Getenv func(string) string
	// HTTPClient carries every request (nil: the adapters' default).
	HTTPClient *http.Client
}

func (e Env) get(k string) string {
	if e.Getenv == nil {
		return strings.TrimSpace(os.Getenv(k))
	}
	return strings.TrimSpace(e.Getenv(k))
}

// Chat returns the chat model s names, configured from env, with the
// adapter's own retries off (wrap it in reliable.Settings.Chat), and
// checked once where the provider can tell whether it has the model:
//
//   - openai: GET /v1/models/{name} (reliable.CheckOpenAIModel); fix
//     says what to do about a missing one;
//   - ollama: a ping, within reliable.CheckTimeout; only a missing model
//     is an error, a server not answering yet is not;
//   - azure, anthropic, gemini: not checked. Azure lists deployments only
//     on its management API, and Anthropic's and Gemini's model lookups
//     are not needed for a first call to say the same: a wrong name is a
//     404 on the first request.
//
// A missing model is an error matching llm.ErrModelNotFound; a bad
// configuration (no key) one matching chain.ErrConfig.
func Chat(ctx context.Context, s Spec, env Env, fix string) (llm.ChatModel, error) {
	switch s.Provider {
	case OpenAI:
		key, base := env.get(openai.EnvAPIKey), env.get(openai.EnvBaseURL)
		m, err := openai.New(s.Name, chatOptions(openaiOptions(env, false))...)
		if err != nil {
			return nil, err
		}
		if err := reliable.CheckOpenAIModel(ctx, env.HTTPClient, base, key, s.Name, fix); err != nil {
			return nil, err
		}
		return m, nil
	case Azure:
		return openai.New(s.Name, chatOptions(openaiOptions(env, true))...)
	case Anthropic:
		opts := []anthropic.Option{
			anthropic.WithAPIKey(env.get(anthropic.EnvAPIKey)),
			anthropic.WithMaxRetries(reliable.AdapterRetries), // the guard retries
		}
		if u := env.get(anthropic.EnvBaseURL); u != "" {
			opts = append(opts, anthropic.WithBaseURL(u))
		}
		if env.HTTPClient != nil {
			opts = append(opts, anthropic.WithHTTPClient(env.HTTPClient))
		}
		return anthropic.New(s.Name, opts...)
	case Gemini:
		var opts []gemini.Option
		for _, o := range geminiOptions(env) {
			opts = append(opts, o)
		}
		return gemini.New(s.Name, opts...)
	case Ollama:
		var opts []ollama.Option
		for _, o := range ollamaOptions(env) {
			opts = append(opts, o)
		}
		m, err := ollama.New(s.Name, opts...)
		if err != nil {
			return nil, err
		}
		pctx, cancel := context.WithTimeout(ctx, reliable.CheckTimeout)
		err = m.Ping(pctx)
		cancel()
		if errors.Is(err, llm.ErrModelNotFound) {
			f := "ollama pull " + s.Name
			if fix != "" {
				f += ", or " + fix
			}
			return nil, &reliable.NotFoundError{Model: s.Name, Server: m.Host(), Fix: f}
		}
		return m, nil
	}
	return nil, fmt.Errorf("%w %q", ErrUnknownProvider, s.Provider)
}

// Embedder returns the embedder s names (a bare provider's name is
// DefaultEmbedModel's), configured from env, with the adapter's own
// retries off (wrap it in reliable.Settings.Embedder). Azure's goes
// through llm/openai to the deployment s names. Anthropic has no
// embeddings: an error matching ErrNoEmbeddings.
func Embedder(s Spec, env Env) (llm.Embedder, error) {
	if s.Name == "" || s.Name == DefaultModel(s.Provider) {
		if d := DefaultEmbedModel(s.Provider); d != "" {
			s.Name = d
		}
	}
	switch s.Provider {
	case OpenAI, Azure:
		var opts []openai.EmbedOption
		for _, o := range openaiOptions(env, s.Provider == Azure) {
			opts = append(opts, o)
		}
		return openai.NewEmbedder(s.Name, opts...)
	case Gemini:
		var opts []gemini.EmbedOption
		for _, o := range geminiOptions(env) {
			opts = append(opts, o)
		}
		return gemini.NewEmbedder(s.Name, opts...)
	case Ollama:
		var opts []ollama.EmbedOption
		for _, o := range ollamaOptions(env) {
			opts = append(opts, o)
		}
		return ollama.NewEmbedder(s.Name, opts...)
	case Anthropic:
		return nil, fmt.Errorf("%w: %s", ErrNoEmbeddings, s)
	}
	return nil, fmt.Errorf("%w %q", ErrUnknownProvider, s.Provider)
}

// ErrNoEmbeddings says that a provider has no embeddings API
// (anthropic).
var ErrNoEmbeddings = errors.New("providers: the provider has no embeddings")

// openaiOptions are OpenAI's or, with azure, Azure OpenAI's settings from
// env (the environment is read here, not by the adapter, so that tests
// give their own).
func openaiOptions(env Env, azure bool) []openai.SharedOption {
	var opts []openai.SharedOption
	if azure {
		opts = append(opts,
			openai.WithAzure(env.get(openai.EnvAzureEndpoint), env.get(openai.EnvAzureAPIVersion)),
			openai.WithAPIKey(env.get(openai.EnvAzureAPIKey)))
	} else {
		opts = append(opts, openai.WithAPIKey(env.get(openai.EnvAPIKey)), openai.WithBaseURL(env.get(openai.EnvBaseURL)))
	}
	opts = append(opts, openai.WithMaxRetries(reliable.AdapterRetries)) // the guard retries
	if env.HTTPClient != nil {
		opts = append(opts, openai.WithHTTPClient(env.HTTPClient))
	}
	return opts
}

func chatOptions(shared []openai.SharedOption) []openai.Option {
	opts := make([]openai.Option, len(shared))
	for i, o := range shared {
		opts[i] = o
	}
	return opts
}

func geminiOptions(env Env) []gemini.SharedOption {
	key := env.get(gemini.EnvGoogleAPIKey)
	if key == "" {
		key = env.get(gemini.EnvGeminiAPIKey)
	}
	opts := []gemini.SharedOption{gemini.WithAPIKey(key), gemini.WithMaxRetries(reliable.AdapterRetries)}
	if u := env.get(EnvGeminiBaseURL); u != "" {
		opts = append(opts, gemini.WithBaseURL(u))
	}
	if env.HTTPClient != nil {
		opts = append(opts, gemini.WithHTTPClient(env.HTTPClient))
	}
	return opts
}

func ollamaOptions(env Env) []ollama.SharedOption {
	opts := []ollama.SharedOption{ollama.WithMaxRetries(reliable.AdapterRetries)}
	if h := env.get(EnvOllamaHost); h != "" {
		opts = append(opts, ollama.WithHost(h))
	}
	if env.HTTPClient != nil {
		opts = append(opts, ollama.WithHTTPClient(env.HTTPClient))
	}
	return opts
}

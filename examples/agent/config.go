package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/chorus-go/chorus/examples/internal/providers"
	"github.com/chorus-go/chorus/examples/internal/reliable"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/ollama"
	"github.com/chorus-go/chorus/llm/openai"
)

// setupHelp says how to point the program at a model.
const setupHelp = `Set one of these to choose a model:

  OPENAI_API_KEY=sk-...                 OpenAI (-model, default gpt-4o-mini)
  OPENAI_BASE_URL=http://host:8000/v1   an OpenAI-compatible server: vLLM, llama.cpp, LM Studio
                                        (with -model; OPENAI_API_KEY if it wants one)
  AZURE_OPENAI_ENDPOINT=https://RESOURCE.openai.azure.com
                                        Azure OpenAI, with AZURE_OPENAI_API_KEY (-model names the
                                        deployment, default gpt-4o-mini; AZURE_OPENAI_API_VERSION)
  ANTHROPIC_API_KEY=sk-ant-...          Anthropic (-model, default claude-sonnet-4-5)
  GEMINI_API_KEY=...                    Gemini (or GOOGLE_API_KEY; -model, default gemini-2.5-flash)
  OLLAMA_HOST=127.0.0.1:11434           an Ollama server, with -model (default llama3.2);
                                        the model must support tools, or add -react

The first set, in that order, is used; or pass -provider
openai|azure|anthropic|gemini|ollama. Then ask, for example:

  go run ./examples/agent "How much are 3 Kettle Pro for a club member, delivered?"
`

// errNoModel says that nothing tells which model to use.
var errNoModel = errors.New("no model configured")

// config is the model the flags and the environment ask for.
type config struct {
	provider string // auto, openai, azure, anthropic, gemini, ollama
	model    string
}

// open returns the chat model, guarded, and a line describing it. The
// adapter's own retries are off: the guard (examples/internal/reliable)
// retries, with a timeout per attempt and a breaker. The model is looked
// up once on its server, so that a wrong name is one line at start (an
// error matching llm.ErrModelNotFound, saying what to do), not the same
// 404 for every question.
func (c config) open(ctx context.Context, e env) (llm.ChatModel, string, error) {
	provider := c.provider
	penv := providers.Env{Getenv: e.getenv, HTTPClient: e.httpClient}
	if provider == "auto" {
		// The first remote provider configured (openai, azure, anthropic,
		// gemini), else Ollama with OLLAMA_HOST.
		switch found := providers.Detect(penv); {
		case len(found) > 0:
			provider = found[0].Provider
		case e.getenv("OLLAMA_HOST") != "":
			provider = "ollama"
		default:
			return nil, "", errNoModel
		}
	}
	var model llm.ChatModel
	var desc string
	switch provider {
	case "openai":
		name := c.model
		if name == "" {
			name = "gpt-4o-mini"
		}
		// The environment is read here, not by the adapter, so that tests
		// can give their own.
		key, base := e.getenv(openai.EnvAPIKey), e.getenv(openai.EnvBaseURL)
		opts := []openai.Option{openai.WithAPIKey(key), openai.WithBaseURL(base), openai.WithMaxRetries(reliable.AdapterRetries)}
		if e.httpClient != nil {
			opts = append(opts, openai.WithHTTPClient(e.httpClient))
		}
		m, err := openai.New(name, opts...)
		if err != nil {
			return nil, "", err
		}
		if err := reliable.CheckOpenAIModel(ctx, e.httpClient, base, key, name, "choose one it has with -model"); err != nil {
			return nil, "", err
		}
		model, desc = m, "OpenAI model "+name+" at "+describeHost(m.Describe().Detail, "api.openai.com")
	case "ollama":
		name := c.model
		if name == "" {
			name = "llama3.2"
		}
		host := e.getenv("OLLAMA_HOST")
		if host == "" {
			host = ollama.DefaultHost
		}
		opts := []ollama.Option{ollama.WithHost(host), ollama.WithMaxRetries(reliable.AdapterRetries)}
		if e.httpClient != nil {
			opts = append(opts, ollama.WithHTTPClient(e.httpClient))
		}
		m, err := ollama.New(name, opts...)
		if err != nil {
			return nil, "", err
		}
		// A server that does not answer the ping may answer later: only
		// a missing model stops the program here.
		pctx, cancel := context.WithTimeout(ctx, reliable.CheckTimeout)
		err = m.Ping(pctx)
		cancel()
		if errors.Is(err, llm.ErrModelNotFound) {
			return nil, "", &reliable.NotFoundError{Model: name, Server: m.Host(), Fix: "ollama pull " + name + ", or choose one it has with -model"}
		}
		model, desc = m, "Ollama model "+name+" at "+m.Host()
	case providers.Azure, providers.Anthropic, providers.Gemini:
		// Not looked up on the server (see providers.Chat): a wrong name
		// is the first question's 404.
		spec, err := providers.Parse(provider + ":" + c.model)
		if err != nil {
			return nil, "", err
		}
		m, err := providers.Chat(ctx, spec, penv, "choose one it has with -model")
		if err != nil {
			return nil, "", err
		}
		model, desc = m, title(provider)+" model "+spec.Name
	default:
		return nil, "", fmt.Errorf("unknown provider %q (want auto, openai, azure, anthropic, gemini or ollama)", c.provider)
	}
	guarded, err := e.reliability.Chat(model)
	if err != nil {
		return nil, "", err
	}
	return guarded, desc, nil
}

// title is a provider's name in the start-up line.
func title(provider string) string {
	switch provider {
	case providers.Azure:
		return "Azure OpenAI"
	case providers.Anthropic:
		return "Anthropic"
	case providers.Gemini:
		return "Gemini"
	}
	return provider
}

func describeHost(host, def string) string {
	if host == "" {
		return def
	}
	return host
}

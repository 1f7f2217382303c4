package main

import (
	"errors"
	"fmt"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/ollama"
	"github.com/chorus-go/chorus/llm/openai"
)

// setupHelp says how to point the program at a model.
const setupHelp = `Set one of these to choose a model:

  OPENAI_API_KEY=sk-...                 OpenAI (-model, default gpt-4o-mini)
  OPENAI_BASE_URL=http://host:8000/v1   an OpenAI-compatible server: vLLM, llama.cpp, LM Studio
                                        (with -model; OPENAI_API_KEY if it wants one)
  OLLAMA_HOST=127.0.0.1:11434           an Ollama server, with -model (default llama3.2);
                                        the model must support tools, or add -react

or pass -provider openai|ollama. Then ask, for example:

  go run ./examples/agent "How much are 3 Kettle Pro for a club member, delivered?"
`

// errNoModel says that nothing tells which model to use.
var errNoModel = errors.New("no model configured")

// config is the model the flags and the environment ask for.
type config struct {
	provider string // auto, openai, ollama
	model    string
}

// open returns the chat model and a line describing it.
func (c config) open(e env) (llm.ChatModel, string, error) {
	provider := c.provider
	if provider == "auto" {
		switch {
		case e.getenv(openai.EnvAPIKey) != "" || e.getenv(openai.EnvBaseURL) != "":
			provider = "openai"
		case e.getenv("OLLAMA_HOST") != "":
			provider = "ollama"
		default:
			return nil, "", errNoModel
		}
	}
	switch provider {
	case "openai":
		name := c.model
		if name == "" {
			name = "gpt-4o-mini"
		}
		// The environment is read here, not by the adapter, so that tests
		// can give their own.
		opts := []openai.Option{openai.WithAPIKey(e.getenv(openai.EnvAPIKey)), openai.WithBaseURL(e.getenv(openai.EnvBaseURL))}
		if e.httpClient != nil {
			opts = append(opts, openai.WithHTTPClient(e.httpClient))
		}
		m, err := openai.New(name, opts...)
		if err != nil {
			return nil, "", err
		}
		return m, "OpenAI model " + name + " at " + describeHost(m.Describe().Detail, "api.openai.com"), nil
	case "ollama":
		name := c.model
		if name == "" {
			name = "llama3.2"
		}
		host := e.getenv("OLLAMA_HOST")
		if host == "" {
			host = ollama.DefaultHost
		}
		opts := []ollama.Option{ollama.WithHost(host)}
		if e.httpClient != nil {
			opts = append(opts, ollama.WithHTTPClient(e.httpClient))
		}
		m, err := ollama.New(name, opts...)
		if err != nil {
			return nil, "", err
		}
		return m, "Ollama model " + name + " at " + m.Host(), nil
	}
	return nil, "", fmt.Errorf("unknown provider %q (want auto, openai or ollama)", c.provider)
}

func describeHost(host, def string) string {
	if host == "" {
		return def
	}
	return host
}

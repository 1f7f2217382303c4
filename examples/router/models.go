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

// configuredLLMs returns the LLMs the environment configures, each
// guarded (e.reliability; the adapter's own retries off): OpenAI (or an
// OpenAI-compatible server) when OPENAI_API_KEY or OPENAI_BASE_URL is set,
// Azure OpenAI when AZURE_OPENAI_ENDPOINT is set (deployment gpt-4o-mini),
// Anthropic when ANTHROPIC_API_KEY is (claude-sonnet-4-5), Gemini when
// GOOGLE_API_KEY or GEMINI_API_KEY is (gemini-2.5-flash), each by
// examples/internal/providers and not looked up (a wrong name is the
// first call's 404), and
// Ollama when OLLAMA_HOST is set. None: the recognition runs on the local
// models alone, with no network. Each is looked up once on its server;
// one the server does not have is left out, and said in skipped with the
// fix.
func configuredLLMs(ctx context.Context, openaiModel, ollamaModel string, e env) (llms []voter, skipped []string, err error) {
	var models []voter
	if key, base := e.getenv(openai.EnvAPIKey), e.getenv(openai.EnvBaseURL); key != "" || base != "" {
		opts := []openai.Option{openai.WithAPIKey(key), openai.WithBaseURL(base), openai.WithMaxRetries(reliable.AdapterRetries)}
		if e.httpClient != nil {
			opts = append(opts, openai.WithHTTPClient(e.httpClient))
		}
		m, err := openai.New(openaiModel, opts...)
		if err != nil {
			return nil, nil, fmt.Errorf("openai: %w", err)
		}
		err = reliable.CheckOpenAIModel(ctx, e.httpClient, base, key, openaiModel, "choose one it has with -openai-model")
		if err != nil {
			skipped = append(skipped, "openai: "+err.Error())
		} else {
			models = append(models, voter{name: "openai", model: m})
		}
	}
	penv := providers.Env{Getenv: e.getenv, HTTPClient: e.httpClient}
	for _, spec := range providers.Detect(penv) {
		if spec.Provider == providers.OpenAI {
			continue // above, with -openai-model
		}
		m, err := providers.Chat(ctx, spec, penv, "")
		if err != nil {
			skipped = append(skipped, spec.Provider+": "+err.Error())
			continue
		}
		models = append(models, voter{name: spec.Provider, model: m})
	}
	if host := e.getenv("OLLAMA_HOST"); host != "" {
		opts := []ollama.Option{ollama.WithHost(host), ollama.WithMaxRetries(reliable.AdapterRetries)}
		if e.httpClient != nil {
			opts = append(opts, ollama.WithHTTPClient(e.httpClient))
		}
		m, err := ollama.New(ollamaModel, opts...)
		if err != nil {
			return nil, nil, fmt.Errorf("ollama: %w", err)
		}
		pctx, cancel := context.WithTimeout(ctx, reliable.CheckTimeout)
		err = m.Ping(pctx)
		cancel()
		if errors.Is(err, llm.ErrModelNotFound) {
			nf := &reliable.NotFoundError{Model: ollamaModel, Server: m.Host(), Fix: "ollama pull " + ollamaModel + ", or choose one it has with -ollama-model"}
			skipped = append(skipped, "ollama: "+nf.Error())
		} else {
			models = append(models, voter{name: "ollama", model: m})
		}
	}
	// The one place the LLMs are made reliable.
	for _, v := range models {
		g, err := e.reliability.Chat(v.model)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", v.name, err)
		}
		llms = append(llms, voter{name: v.name, model: g})
	}
	return llms, skipped, nil
}

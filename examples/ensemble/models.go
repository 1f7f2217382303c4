package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/chorus-go/chorus/examples/internal/providers"
	"github.com/chorus-go/chorus/examples/internal/reliable"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/ollama"
	"github.com/chorus-go/chorus/llm/openai"
)

// model is a configured chat model.
type model struct {
	name  string // provider:name
	model llm.ChatModel
}

// findModels returns the chat models, guarded by settings (the adapters'
// own retries off): those listed ("openai:gpt-4o-mini,ollama:llama3.2";
// "azure:DEPLOYMENT", "anthropic:MODEL", "gemini:MODEL" too; "none" for
// none) or, with an empty list, the default model of every provider the
// environment configures (providers.Detect: OpenAI's gpt-4o-mini when
// OPENAI_API_KEY or OPENAI_BASE_URL is set, Azure's gpt-4o-mini
// deployment when AZURE_OPENAI_ENDPOINT is, Anthropic's claude-sonnet-4-5
// when ANTHROPIC_API_KEY is, Gemini's gemini-2.5-flash when
// GOOGLE_API_KEY or GEMINI_API_KEY is) and Ollama's llama3.2 when
// OLLAMA_HOST is set or the default host answers a ping within probe.
// Each is looked up once on its server (an OpenAI model by GET
// /v1/models/{name}, an Ollama model by the ping). It also returns the
// models it could not use, and why.
func findModels(ctx context.Context, list string, getenv func(string) string, client *http.Client, probe time.Duration, settings reliable.Settings) ([]model, []string, error) {
	var specs []string
	auto := strings.TrimSpace(list) == ""
	switch {
	case list == "none" || list == "local":
	case auto:
		for _, s := range providers.Detect(providers.Env{Getenv: getenv}) {
			specs = append(specs, s.String())
		}
		specs = append(specs, "ollama:llama3.2")
	default:
		specs = strings.Split(list, ",")
	}
	var out []model
	var skipped []string
	for _, s := range specs {
		provider, name, _ := strings.Cut(strings.TrimSpace(s), ":")
		var m llm.ChatModel
		var err error
		switch provider {
		case "openai":
			if name == "" {
				name = "gpt-4o-mini"
			}
			key, base := getenv(openai.EnvAPIKey), getenv(openai.EnvBaseURL)
			opts := []openai.Option{openai.WithAPIKey(key), openai.WithBaseURL(base), openai.WithMaxRetries(reliable.AdapterRetries)}
			if client != nil {
				opts = append(opts, openai.WithHTTPClient(client))
			}
			if m, err = openai.New(name, opts...); err == nil {
				err = reliable.CheckOpenAIModel(ctx, client, base, key, name, "choose one it has with -models openai:NAME")
			}
		case "ollama":
			if name == "" {
				name = "llama3.2"
			}
			opts := []ollama.Option{ollama.WithMaxRetries(reliable.AdapterRetries)}
			if h := getenv("OLLAMA_HOST"); h != "" {
				opts = append(opts, ollama.WithHost(h))
			}
			if client != nil {
				opts = append(opts, ollama.WithHTTPClient(client))
			}
			var om *ollama.Model
			if om, err = ollama.New(name, opts...); err == nil {
				wait := 5 * time.Second
				if auto && getenv("OLLAMA_HOST") == "" {
					wait = probe
				}
				pctx, cancel := context.WithTimeout(ctx, wait)
				err = om.Ping(pctx)
				cancel()
				switch {
				case errors.Is(err, llm.ErrModelNotFound):
					err = &reliable.NotFoundError{Model: name, Server: om.Host(), Fix: "ollama pull " + name}
				case err != nil && auto && getenv("OLLAMA_HOST") == "":
					err = fmt.Errorf("no Ollama server answered at %s within %v", om.Host(), wait)
				}
				m = om
			}
		default:
			// azure, anthropic, gemini: not looked up (see providers.Chat).
			var spec providers.Spec
			if spec, err = providers.Parse(s); err != nil {
				return nil, nil, fmt.Errorf("model %q: %w", s, err)
			}
			name = spec.Name
			m, err = providers.Chat(ctx, spec, providers.Env{Getenv: getenv, HTTPClient: client}, "")
		}
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("%s:%s: %v", provider, name, err))
			continue
		}
		// The one place the models are made reliable.
		g, err := settings.Chat(m)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, model{provider + ":" + name, g})
	}
	return out, skipped, nil
}

package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/chorus-go/chorus/examples/internal/doctype"
	"github.com/chorus-go/chorus/examples/internal/providers"
	"github.com/chorus-go/chorus/examples/internal/reliable"
	"github.com/chorus-go/chorus/llm/ollama"
	"github.com/chorus-go/chorus/llm/openai"
)

// The language models the environment can add to the vote, as
// docanalysis names them.
const (
	openaiModel = "gpt-4o-mini"
	ollamaModel = "llama3.2"
)

// models returns the language models the environment configures:
// OpenAI's gpt-4o-mini when OPENAI_API_KEY or OPENAI_BASE_URL is set, and
// Ollama's llama3.2 when OLLAMA_HOST is set and the server answers a ping
// and has the model; Azure OpenAI's gpt-4o-mini deployment, Anthropic's
// claude-sonnet-4-5 and Gemini's gemini-2.5-flash when their variables
// are set (see examples/internal/providers). Without them the evaluation is local. skipped says
// why a configured model takes no part.
func models(ctx context.Context, getenv func(string) string, client *http.Client) (out []doctype.Model, skipped []string) {
	env := func(k string) string { return strings.TrimSpace(getenv(k)) }
	if key, base := env(openai.EnvAPIKey), env(openai.EnvBaseURL); key != "" || base != "" {
		opts := []openai.Option{openai.WithAPIKey(key), openai.WithBaseURL(base)}
		if client != nil {
			opts = append(opts, openai.WithHTTPClient(client))
		}
		name := "openai:" + openaiModel
		if m, err := openai.New(openaiModel, opts...); err != nil {
			skipped = append(skipped, fmt.Sprintf("%s: %v", name, err))
		} else {
			out = append(out, doctype.Model{Name: name, Chat: m})
		}
	}
	// Azure OpenAI, Anthropic and Gemini when their variables are set
	// (providers.Detect), with their default models, guarded like the
	// other examples' (the adapters' own retries off).
	penv := providers.Env{Getenv: env, HTTPClient: client}
	for _, spec := range providers.Detect(penv) {
		if spec.Provider == providers.OpenAI {
			continue // above
		}
		m, err := providers.Chat(ctx, spec, penv, "")
		if err == nil {
			m, err = reliable.Settings{}.Chat(m)
		}
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("%s: %v", spec, err))
			continue
		}
		out = append(out, doctype.Model{Name: spec.String(), Chat: m})
	}
	if host := env("OLLAMA_HOST"); host != "" {
		opts := []ollama.Option{ollama.WithHost(host)}
		if client != nil {
			opts = append(opts, ollama.WithHTTPClient(client))
		}
		name := "ollama:" + ollamaModel
		m, err := ollama.New(ollamaModel, opts...)
		if err == nil {
			pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			err = m.Ping(pctx)
			cancel()
		}
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("%s: %v", name, err))
		} else {
			out = append(out, doctype.Model{Name: name, Chat: m})
		}
	}
	return out, skipped
}

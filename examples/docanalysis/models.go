package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chorus-go/chorus/examples/internal/providers"
	"github.com/chorus-go/chorus/examples/internal/reliable"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/ollama"
	"github.com/chorus-go/chorus/llm/openai"
	"github.com/chorus-go/chorus/retrieval"
)

// Default model names, when -models does not name them.
const (
	defaultOpenAIModel = "gpt-4o-mini"
	defaultOllamaModel = "llama3.2"
	defaultOpenAIEmbed = "text-embedding-3-small"
	defaultOllamaEmbed = "nomic-embed-text"
	hashDimensions     = 256
)

// ModelSpec names a model as provider:name ("openai:gpt-4o-mini").
type ModelSpec struct {
	Provider string
	Name     string
}

// String returns provider:name.
func (s ModelSpec) String() string { return s.Provider + ":" + s.Name }

// ParseModels reads a comma-separated list of provider:name specs. The
// providers are those of examples/internal/providers (openai, azure,
// anthropic, gemini, ollama); a bare provider takes its default model.
// "none" or "local" is the empty list: local models only.
func ParseModels(list string) ([]ModelSpec, error) {
	list = strings.TrimSpace(list)
	if list == "none" || list == "local" {
		return []ModelSpec{}, nil
	}
	specs, err := providers.ParseList(list)
	if err != nil {
		return nil, err
	}
	out := []ModelSpec{}
	for _, s := range specs {
		out = append(out, ModelSpec{s.Provider, s.Name})
	}
	return out, nil
}

// chatModel is a configured chat model that answered its health check.
type chatModel struct {
	spec  ModelSpec
	model llm.ChatModel
}

// Skipped is a model that was asked for, or looked for, but does not take
// part, and why.
type Skipped struct {
	Model  string `json:"model"`
	Reason string `json:"reason"`
}

// resolver finds the models the configuration asks for.
type resolver struct {
	cfg     Config
	skipped []Skipped
	// embedGuarded says the embedder is a remote one, guarded.
	embedGuarded bool
}

// chatModels returns the chat models to use, guarded: those of
// cfg.Models, or when it is empty, the default model of every remote
// provider the environment configures (providers.Detect: OpenAI when
// OPENAI_API_KEY or OPENAI_BASE_URL is set, Azure OpenAI when
// AZURE_OPENAI_ENDPOINT is, Anthropic when ANTHROPIC_API_KEY is, Gemini
// when GOOGLE_API_KEY or GEMINI_API_KEY is), then Ollama's when
// OLLAMA_HOST is set or the default host answers within cfg.OllamaProbe.
func (r *resolver) chatModels(ctx context.Context) ([]chatModel, error) {
	specs, err := r.specs()
	if err != nil {
		return nil, err
	}
	var out []chatModel
	for _, s := range specs {
		m, err := r.open(ctx, s)
		if err != nil {
			r.skip(s.String(), err)
			continue
		}
		g, err := r.cfg.Reliability.Chat(m)
		if err != nil {
			return nil, err
		}
		out = append(out, chatModel{s, g})
	}
	return out, nil
}

// specs returns the models asked for, or found in the environment.
func (r *resolver) specs() ([]ModelSpec, error) {
	if r.cfg.Models != "" {
		return ParseModels(r.cfg.Models)
	}
	var specs []ModelSpec
	for _, s := range providers.Detect(r.env()) {
		specs = append(specs, ModelSpec{s.Provider, s.Name})
	}
	// Ollama is looked for even without OLLAMA_HOST: its default host
	// answering a quick ping is enough.
	specs = append(specs, ModelSpec{"ollama", defaultOllamaModel})
	return specs, nil
}

// open makes the model, with the adapter's own retries off (the guard
// retries), and checks once that the server has it: an Ollama model is
// pinged (the server must answer and have it), within cfg.OllamaProbe
// when nothing asked for Ollama, else within a few seconds; an OpenAI
// model is looked up (GET /v1/models/{name}), so that a wrong name is
// one line of the report, not a 404 for every document.
func (r *resolver) open(ctx context.Context, s ModelSpec) (llm.ChatModel, error) {
	switch s.Provider {
	case "openai":
		var opts []openai.Option
		for _, o := range r.openaiOptions() {
			opts = append(opts, o)
		}
		m, err := openai.New(s.Name, opts...)
		if err != nil {
			return nil, err
		}
		fix := "name one it has with -models openai:NAME"
		if err := reliable.CheckOpenAIModel(ctx, r.cfg.HTTPClient, r.getenv(openai.EnvBaseURL), r.getenv(openai.EnvAPIKey), s.Name, fix); err != nil {
			return nil, err
		}
		return m, nil
	case "ollama":
		var opts []ollama.Option
		for _, o := range r.ollamaOptions() {
			opts = append(opts, o)
		}
		m, err := ollama.New(s.Name, opts...)
		if err != nil {
			return nil, err
		}
		wait, probe := 5*time.Second, r.cfg.Models == "" && r.getenv("OLLAMA_HOST") == ""
		if probe {
			wait = r.cfg.OllamaProbe
		}
		pctx, cancel := context.WithTimeout(ctx, wait)
		defer cancel()
		err = m.Ping(pctx)
		switch {
		case err == nil:
			return m, nil
		case errors.Is(err, llm.ErrModelNotFound):
			return nil, fmt.Errorf("the Ollama server at %s does not have it (ollama pull %s)", m.Host(), s.Name)
		case probe:
			return nil, fmt.Errorf("no Ollama server answered at %s within %v (set OLLAMA_HOST to use one)", m.Host(), wait)
		case errors.Is(err, context.DeadlineExceeded):
			return nil, fmt.Errorf("no answer from %s within %v", m.Host(), wait)
		}
		return nil, err
	}
	// Azure, Anthropic and Gemini: not looked up (see providers.Chat); a
	// wrong name is the first call's 404.
	return providers.Chat(ctx, providers.Spec{Provider: s.Provider, Name: s.Name}, r.env(), "name one it has with -models "+s.Provider+":NAME")
}

// embedder returns the embedding model: cfg.Embed's, or with Embed empty
// the first chat model's provider's default embedder, or the local
// hashing embedder when there is none or it does not answer a probe.
func (r *resolver) embedder(ctx context.Context, models []chatModel) (llm.Embedder, string, error) {
	hash := func() (llm.Embedder, string, error) {
		return retrieval.MustHashEmbedder(hashDimensions), fmt.Sprintf("hash-%d (local)", hashDimensions), nil
	}
	spec := strings.TrimSpace(r.cfg.Embed)
	if spec == "hash" || spec == "local" || (spec == "" && len(models) == 0) {
		return hash()
	}
	var want ModelSpec
	if spec == "" {
		want = ModelSpec{Provider: models[0].spec.Provider}
	} else {
		p, name, _ := strings.Cut(spec, ":")
		want = ModelSpec{p, name}
	}
	var e llm.Embedder
	var err error
	switch want.Provider {
	case "openai":
		if want.Name == "" {
			want.Name = defaultOpenAIEmbed
		}
		var opts []openai.EmbedOption
		for _, o := range r.openaiOptions() {
			opts = append(opts, o)
		}
		e, err = openai.NewEmbedder(want.Name, opts...)
	case "ollama":
		if want.Name == "" {
			want.Name = defaultOllamaEmbed
		}
		var opts []ollama.EmbedOption
		for _, o := range r.ollamaOptions() {
			opts = append(opts, o)
		}
		e, err = ollama.NewEmbedder(want.Name, opts...)
	case providers.Azure, providers.Gemini:
		if want.Name == "" {
			want.Name = providers.DefaultEmbedModel(want.Provider)
		}
		e, err = providers.Embedder(providers.Spec{Provider: want.Provider, Name: want.Name}, r.env())
	case providers.Anthropic:
		// Anthropic has no embeddings: the local ones, said in the report.
		r.skip(want.Provider+" (embeddings)", providers.ErrNoEmbeddings)
		return hash()
	default:
		return nil, "", fmt.Errorf("-embed %q: want hash, openai[:model], azure[:deployment], gemini[:model] or ollama[:model]", spec)
	}
	if err == nil {
		e, err = r.cfg.Reliability.Embedder(e)
	}
	if err == nil {
		// One probe: the embedder must answer, and the store needs the
		// vectors' length.
		pctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		_, err = e.Embed(pctx, []string{"probe"})
		cancel()
	}
	if err != nil {
		r.skip(want.String()+" (embeddings)", err)
		return hash()
	}
	r.embedGuarded = true
	return e, want.String(), nil
}

// skip records a model that does not take part.
func (r *resolver) skip(model string, err error) {
	msg := err.Error()
	if len(msg) > 300 {
		msg = msg[:297] + "..."
	}
	r.skipped = append(r.skipped, Skipped{Model: model, Reason: msg})
}

func (r *resolver) getenv(k string) string { return strings.TrimSpace(r.cfg.Getenv(k)) }

func (r *resolver) env() providers.Env {
	return providers.Env{Getenv: r.getenv, HTTPClient: r.cfg.HTTPClient}
}

func (r *resolver) openaiOptions() []openai.SharedOption {
	opts := []openai.SharedOption{
		openai.WithAPIKey(r.getenv(openai.EnvAPIKey)),
		openai.WithBaseURL(r.getenv(openai.EnvBaseURL)),
		openai.WithMaxRetries(reliable.AdapterRetries), // the guard retries
	}
	if r.cfg.HTTPClient != nil {
		opts = append(opts, openai.WithHTTPClient(r.cfg.HTTPClient))
	}
	return opts
}

func (r *resolver) ollamaOptions() []ollama.SharedOption {
	opts := []ollama.SharedOption{ollama.WithMaxRetries(reliable.AdapterRetries)} // the guard retries
	if h := r.getenv("OLLAMA_HOST"); h != "" {
		opts = append(opts, ollama.WithHost(h))
	}
	if r.cfg.HTTPClient != nil {
		opts = append(opts, ollama.WithHTTPClient(r.cfg.HTTPClient))
	}
	return opts
}

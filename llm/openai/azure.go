package openai

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	openai "github.com/sashabaranov/go-openai"

	"github.com/chorus-go/chorus/llm"
)

// Environment variables read in Azure mode (WithAzure) when the matching
// argument or option is empty or not given.
const (
	EnvAzureEndpoint   = "AZURE_OPENAI_ENDPOINT"    // https://<resource>.openai.azure.com
	EnvAzureAPIKey     = "AZURE_OPENAI_API_KEY"     // sent in the api-key header
	EnvAzureAPIVersion = "AZURE_OPENAI_API_VERSION" // the api-version query parameter
)

// DefaultAzureAPIVersion is the api-version used when neither WithAzure
// nor AZURE_OPENAI_API_VERSION gives one: the latest GA version of the
// Azure OpenAI data-plane API.
const DefaultAzureAPIVersion = "2024-10-21"

// azureConfig is what the Azure options set.
type azureConfig struct {
	on                bool // WithAzure was given
	endpoint, version string
	deployment        func(model string) string
	token             func(ctx context.Context) (string, error)
}

// WithAzure talks to Azure OpenAI: requests go to
// {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=…
// (and …/embeddings), the key in the api-key header. An empty endpoint is
// taken from AZURE_OPENAI_ENDPOINT, an empty apiVersion from
// AZURE_OPENAI_API_VERSION, else DefaultAzureAPIVersion; the key from
// WithAPIKey, else AZURE_OPENAI_API_KEY (OPENAI_API_KEY and
// OPENAI_BASE_URL are not read), unless WithAzureToken gives Entra ID
// tokens instead. The deployment is the model's name unless
// WithAzureDeployment maps it.
func WithAzure(endpoint, apiVersion string) SharedOption {
	return sharedOption(func(c *config) {
		if c.azure == nil {
			c.azure = &azureConfig{}
		}
		c.azure.on, c.azure.endpoint, c.azure.version = true, endpoint, apiVersion
	})
}

// WithAzureDeployment maps a model name to the name of its Azure
// deployment (default: the model name itself). It needs WithAzure; a nil
// func makes the constructor fail.
func WithAzureDeployment(deployment func(model string) string) SharedOption {
	return sharedOption(func(c *config) {
		if deployment == nil {
			c.fail("WithAzureDeployment: nil func")
			return
		}
		if c.azure == nil {
			c.azure = &azureConfig{}
		}
		c.azure.deployment = deployment
	})
}

// WithAzureToken authenticates to Azure OpenAI with Microsoft Entra ID:
// token is called before every request and its token is sent as
// "Authorization: Bearer <token>" instead of an api-key (pass, for
// example, a function around azidentity's GetToken with the scope
// https://cognitiveservices.azure.com/.default; it should cache). Its
// error fails the call, not retried. Tokens are scrubbed from errors and
// logs like a key. It needs WithAzure; a nil func makes the constructor
// fail.
func WithAzureToken(token func(ctx context.Context) (string, error)) SharedOption {
	return sharedOption(func(c *config) {
		if token == nil {
			c.fail("WithAzureToken: nil func")
			return
		}
		if c.azure == nil {
			c.azure = &azureConfig{}
		}
		c.azure.token = token
	})
}

// azureClientConfig resolves the Azure options and the environment into
// go-openai's configuration, the key (for the redactor) and the token
// source, if any.
func azureClientConfig(cfg *config) (openai.ClientConfig, *tokenSource, error) {
	az := cfg.azure
	if !az.on {
		return openai.ClientConfig{}, nil, errors.New("WithAzureDeployment and WithAzureToken need WithAzure")
	}
	endpoint := strings.TrimSpace(az.endpoint)
	if endpoint == "" {
		endpoint = strings.TrimSpace(os.Getenv(EnvAzureEndpoint))
	}
	if endpoint == "" {
		return openai.ClientConfig{}, nil, fmt.Errorf("WithAzure: no endpoint: give one or set %s", EnvAzureEndpoint)
	}
	version := strings.TrimSpace(az.version)
	if version == "" {
		version = strings.TrimSpace(os.Getenv(EnvAzureAPIVersion))
	}
	if version == "" {
		version = DefaultAzureAPIVersion
	}
	if !cfg.apiKeySet {
		cfg.apiKey = os.Getenv(EnvAzureAPIKey)
	}
	cfg.apiKey = strings.TrimSpace(cfg.apiKey)
	if cfg.apiKey == "" && az.token == nil {
		return openai.ClientConfig{}, nil, fmt.Errorf("%w: set %s, use WithAPIKey, or WithAzureToken for Entra ID", ErrNoAPIKey, EnvAzureAPIKey)
	}
	cfg.baseURL = endpoint
	oc := openai.DefaultAzureConfig(cfg.apiKey, endpoint)
	var ts *tokenSource
	if az.token != nil {
		// Entra ID: go-openai sends no Authorization for an empty key;
		// the transport sets it from the token source.
		oc = openai.DefaultAzureConfig("", endpoint)
		oc.APIType = openai.APITypeAzureAD
		ts = &tokenSource{fn: az.token, key: cfg.apiKey}
	}
	oc.APIVersion = version
	oc.AzureModelMapperFunc = azureMapper(az.deployment)
	return oc, ts, nil
}

func azureMapper(f func(string) string) func(string) string {
	if f != nil {
		return f
	}
	return func(model string) string { return model }
}

// tokenSource fetches Entra ID tokens for the transport and keeps a
// redactor that knows the latest one.
type tokenSource struct {
	fn   func(ctx context.Context) (string, error)
	key  string
	mu   sync.Mutex
	last string
	red  atomic.Pointer[llm.Redactor]
}

// authorize sets the request's Authorization from a fresh token.
func (t *tokenSource) authorize(req *http.Request) error {
	tok, err := t.fn(req.Context())
	if err != nil {
		return fmt.Errorf("openai: Azure token: %w", err)
	}
	tok = strings.TrimSpace(tok)
	if tok == "" {
		return errors.New("openai: Azure token: the token source returned an empty token")
	}
	t.mu.Lock()
	if tok != t.last {
		t.last = tok
		t.red.Store(llm.NewRedactor(t.key, tok))
	}
	t.mu.Unlock()
	req.Header.Set("Authorization", "Bearer "+tok)
	return nil
}

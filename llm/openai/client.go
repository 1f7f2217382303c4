package openai

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"

	openai "github.com/sashabaranov/go-openai"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/internal/retry"
)

// Environment variables read by New and NewEmbedder when the matching
// option is not given.
const (
	EnvAPIKey  = "OPENAI_API_KEY"
	EnvBaseURL = "OPENAI_BASE_URL"
	EnvOrgID   = "OPENAI_ORG_ID"
)

// DefaultBaseURL is OpenAI's API, used when neither WithBaseURL nor
// OPENAI_BASE_URL says otherwise.
const DefaultBaseURL = "https://api.openai.com/v1"

// provider is the Provider of every *llm.Error this package returns.
const provider = "openai"

// client is what a Model and an Embedder share: the go-openai client (its
// HTTP client wrapped by transport), the model name, the key (kept only to
// scrub it from error texts and logs, through red) and the logger.
type client struct {
	api    *openai.Client
	model  string
	red    *llm.Redactor
	logger *slog.Logger
	host   string       // the base URL's host when it is not OpenAI's, for Describe
	tokens *tokenSource // Azure Entra ID tokens, nil otherwise
	retry  retry.Policy
}

// newClient resolves the options, applied to cfg, and the environment into
// a client. Its errors match chain.ErrConfig.
func newClient(fn, model string, cfg *config) (*client, error) {
	fail := func(err error) (*client, error) { return nil, &configError{fn: fn, model: model, err: err} }
	if err := cfg.err(); err != nil {
		return fail(err)
	}
	if strings.TrimSpace(model) == "" {
		return fail(errors.New("empty model name"))
	}
	if cfg.azure != nil {
		return newAzureClient(fail, model, cfg)
	}
	if !cfg.apiKeySet {
		cfg.apiKey = os.Getenv(EnvAPIKey)
	}
	if !cfg.baseURLSet {
		cfg.baseURL = os.Getenv(EnvBaseURL)
	}
	if !cfg.orgSet {
		cfg.org = os.Getenv(EnvOrgID)
	}
	cfg.apiKey = strings.TrimSpace(cfg.apiKey)
	cfg.baseURL = strings.TrimSpace(cfg.baseURL)
	if cfg.apiKey == "" && cfg.baseURL == "" {
		return fail(fmt.Errorf("%w: set %s or use WithAPIKey; "+
			"for an OpenAI-compatible server that needs no key, set %s or use WithBaseURL",
			ErrNoAPIKey, EnvAPIKey, EnvBaseURL))
	}
	host := ""
	if cfg.baseURL != "" {
		u, err := url.Parse(cfg.baseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fail(fmt.Errorf("base URL %q is not an http(s) URL", redactURL(cfg.baseURL)))
		}
		if cfg.baseURL != DefaultBaseURL {
			host = u.Host
		}
	} else {
		cfg.baseURL = DefaultBaseURL
	}
	if cfg.httpClient == nil {
		cfg.httpClient = &http.Client{}
	}
	oc := openai.DefaultConfig(cfg.apiKey)
	oc.BaseURL = cfg.baseURL
	oc.OrgID = cfg.org
	oc.HTTPClient = transport{next: cfg.httpClient}
	return &client{
		api:    openai.NewClientWithConfig(oc),
		model:  model,
		red:    llm.NewRedactor(cfg.apiKey),
		logger: cfg.logger,
		host:   host,
		retry:  *cfg.policy(),
	}, nil
}

// newAzureClient is newClient in Azure mode (WithAzure).
func newAzureClient(fail func(error) (*client, error), model string, cfg *config) (*client, error) {
	oc, ts, err := azureClientConfig(cfg)
	if err != nil {
		return fail(err)
	}
	u, err := url.Parse(cfg.baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fail(fmt.Errorf("Azure endpoint %q is not an http(s) URL", redactURL(cfg.baseURL)))
	}
	if cfg.httpClient == nil {
		cfg.httpClient = &http.Client{}
	}
	oc.HTTPClient = transport{next: cfg.httpClient, tokens: ts}
	return &client{
		api:    openai.NewClientWithConfig(oc),
		model:  model,
		red:    llm.NewRedactor(cfg.apiKey),
		logger: cfg.logger,
		host:   u.Host,
		retry:  *cfg.policy(),
		tokens: ts,
	}, nil
}

// redactURL hides a URL's user information, which may hold a password,
// even when the URL does not parse.
func redactURL(s string) string {
	if u, err := url.Parse(s); err == nil {
		if u.User == nil {
			return s
		}
		u.User = url.User("redacted")
		return u.String()
	}
	if at := strings.LastIndex(s, "@"); at >= 0 {
		start := 0
		if i := strings.Index(s, "://"); i >= 0 && i < at {
			start = i + len("://")
		}
		return s[:start] + "redacted" + s[at:]
	}
	return s
}

// logging reports whether a record at level would be written.
func (c *client) logging(ctx context.Context, level slog.Level) bool {
	return c.logger != nil && c.logger.Enabled(ctx, level)
}

// logCall logs the end of one HTTP call: Debug on success, Warn on failure.
func (c *client) logCall(ctx context.Context, op string, call *callInfo, err error, attrs ...slog.Attr) {
	level := slog.LevelDebug
	if err != nil {
		level = slog.LevelWarn
	}
	if !c.logging(ctx, level) {
		return
	}
	attrs = append(attrs,
		slog.String("model", c.model),
		slog.Duration("duration", call.elapsed()),
	)
	if call.status != 0 {
		attrs = append(attrs, slog.Int("status", call.status))
	}
	if id := call.requestID(); id != "" {
		attrs = append(attrs, slog.String("request_id", c.redact(id)))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", c.redact(err.Error())))
		if call.retryAfter > 0 {
			attrs = append(attrs, slog.Duration("retry_after", call.retryAfter))
		}
		c.logger.LogAttrs(ctx, level, "openai "+op+" failed", attrs...)
		return
	}
	c.logger.LogAttrs(ctx, level, "openai "+op, attrs...)
}

package gemini

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"

	"google.golang.org/genai"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/internal/retry"
)

// Environment variables read by New and NewEmbedder when WithAPIKey is
// not given. GOOGLE_API_KEY wins when both are set, as in the SDK
// (google.golang.org/genai reads them in that order).
const (
	EnvGoogleAPIKey = "GOOGLE_API_KEY"
	EnvGeminiAPIKey = "GEMINI_API_KEY"
)

// DefaultBaseURL is the Gemini API's, used unless WithBaseURL (or the
// SDK's GOOGLE_GEMINI_BASE_URL) says otherwise.
const DefaultBaseURL = "https://generativelanguage.googleapis.com/"

// DefaultAPIVersion is the API version the adapter asks for.
const DefaultAPIVersion = "v1beta"

// provider is the Provider of every *llm.Error this package returns.
const provider = "gemini"

// client is what a Model and an Embedder share: the genai client (its HTTP
// client's transport wrapped by recorder), the model, the key's redactor,
// the logger and the retry policy.
type client struct {
	api    *genai.Client
	model  string
	red    *llm.Redactor
	logger *slog.Logger
	host   string // the base URL's host when it is not Google's, for Describe
	retry  retry.Policy
}

// newClient resolves the options and the environment into a client. Its
// errors match chain.ErrConfig.
func newClient(fn, model string, cfg *config) (*client, error) {
	fail := func(err error) (*client, error) { return nil, &configError{fn: fn, model: model, err: err} }
	if err := cfg.err(); err != nil {
		return fail(err)
	}
	if strings.TrimSpace(model) == "" {
		return fail(errors.New("empty model name"))
	}
	if !cfg.apiKeySet {
		cfg.apiKey = os.Getenv(EnvGoogleAPIKey)
		if strings.TrimSpace(cfg.apiKey) == "" {
			cfg.apiKey = os.Getenv(EnvGeminiAPIKey)
		}
	}
	cfg.apiKey = strings.TrimSpace(cfg.apiKey)
	if cfg.apiKey == "" {
		return fail(fmt.Errorf("%w: set %s or %s, or use WithAPIKey", ErrNoAPIKey, EnvGeminiAPIKey, EnvGoogleAPIKey))
	}
	red := llm.NewRedactor(cfg.apiKey)
	host := ""
	if cfg.baseURL != "" {
		u, err := url.Parse(cfg.baseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fail(fmt.Errorf("base URL %q is not an http(s) URL", red.String(cfg.baseURL)))
		}
		if cfg.baseURL != DefaultBaseURL {
			host = u.Host
		}
	}
	if cfg.apiVersion == "" {
		cfg.apiVersion = DefaultAPIVersion
	}
	hc := &http.Client{}
	if cfg.httpClient != nil {
		cp := *cfg.httpClient
		hc = &cp
	}
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	hc.Transport = recorder{next: next}
	api, err := genai.NewClient(context.Background(), &genai.ClientConfig{
		APIKey:     cfg.apiKey,
		Backend:    genai.BackendGeminiAPI,
		HTTPClient: hc,
		// RetryOptions stays nil: the SDK makes one attempt, the
		// adapter's policy retries.
		HTTPOptions: genai.HTTPOptions{BaseURL: cfg.baseURL, APIVersion: cfg.apiVersion},
	})
	if err != nil {
		return fail(red.Error(err))
	}
	return &client{api: api, model: model, red: red, logger: cfg.logger, host: host, retry: *cfg.policy()}, nil
}

func (c *client) logging(ctx context.Context, level slog.Level) bool {
	return c.logger != nil && c.logger.Enabled(ctx, level)
}

// logCall logs the end of one HTTP call: Debug on success, Warn on
// failure. Every text is scrubbed of the key.
func (c *client) logCall(ctx context.Context, op string, call *callInfo, err error, attrs ...slog.Attr) {
	level := slog.LevelDebug
	if err != nil {
		level = slog.LevelWarn
	}
	if !c.logging(ctx, level) {
		return
	}
	attrs = append(attrs, slog.String("model", c.model), slog.Duration("duration", call.elapsed()))
	if call.status != 0 {
		attrs = append(attrs, slog.Int("status", call.status))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", c.red.String(err.Error())))
		c.logger.LogAttrs(ctx, level, "gemini "+op+" failed", attrs...)
		return
	}
	c.logger.LogAttrs(ctx, level, "gemini "+op, attrs...)
}

package anthropic

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/internal/retry"
)

// Environment variables read by New when the matching option is not given.
const (
	EnvAPIKey  = "ANTHROPIC_API_KEY"
	EnvBaseURL = "ANTHROPIC_BASE_URL"
)

// DefaultBaseURL is Anthropic's API, used when neither WithBaseURL nor
// ANTHROPIC_BASE_URL says otherwise.
const DefaultBaseURL = "https://api.anthropic.com"

// provider is the Provider of every *llm.Error this package returns.
const provider = "anthropic"

// ErrNoAPIKey is returned by New when there is neither an API key nor a
// base URL (a proxy may add the key itself; Anthropic's API never does
// without one).
var ErrNoAPIKey = errors.New("anthropic: no API key")

// client is the SDK client (its own retries off, no environment read by
// it) with what the adapter keeps beside it.
type client struct {
	api    sdk.Client
	model  string
	red    *llm.Redactor
	logger *slog.Logger
	host   string // the base URL's host when it is not Anthropic's, for Describe
	retry  retry.Policy
}

// newClient resolves the options, applied to cfg, and the environment into
// a client. Its errors match chain.ErrConfig.
func newClient(model string, cfg *config) (*client, error) {
	fail := func(err error) (*client, error) { return nil, &configError{model: model, err: err} }
	if err := cfg.err(); err != nil {
		return fail(err)
	}
	if strings.TrimSpace(model) == "" {
		return fail(errors.New("empty model name"))
	}
	if !cfg.apiKeySet {
		cfg.apiKey = os.Getenv(EnvAPIKey)
	}
	if !cfg.baseURLSet {
		cfg.baseURL = os.Getenv(EnvBaseURL)
	}
	cfg.apiKey = strings.TrimSpace(cfg.apiKey)
	cfg.baseURL = strings.TrimSpace(cfg.baseURL)
	if cfg.apiKey == "" && cfg.baseURL == "" {
		return fail(fmt.Errorf("%w: set %s or use WithAPIKey", ErrNoAPIKey, EnvAPIKey))
	}
	host := ""
	if cfg.baseURL != "" {
		u, err := url.Parse(cfg.baseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fail(fmt.Errorf("base URL %q is not an http(s) URL", redactURL(cfg.baseURL)))
		}
		if strings.TrimRight(cfg.baseURL, "/") != DefaultBaseURL {
			host = u.Host
		}
	} else {
		cfg.baseURL = DefaultBaseURL
	}
	if cfg.httpClient == nil {
		cfg.httpClient = &http.Client{}
	}
	opts := []option.RequestOption{
		option.WithoutEnvironmentDefaults(), // the adapter reads the environment itself
		option.WithBaseURL(cfg.baseURL),
		option.WithHTTPClient(cfg.httpClient),
		option.WithMaxRetries(0), // the adapter retries (llm/internal/retry)
	}
	if cfg.apiKey != "" {
		opts = append(opts, option.WithHeader("x-api-key", cfg.apiKey))
	}
	return &client{
		api:    sdk.NewClient(opts...),
		model:  model,
		red:    llm.NewRedactor(cfg.apiKey),
		logger: cfg.logger,
		host:   host,
		retry:  *cfg.policy(),
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

// callInfo is what the adapter saw of one attempt's HTTP response, recorded
// by the middleware of that attempt.
type callInfo struct {
	start  time.Time
	status int
	header http.Header
}

func newCall() *callInfo { return &callInfo{start: time.Now()} }

// middleware records the response's status and headers.
func (c *callInfo) middleware(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
	resp, err := next(req)
	if resp != nil {
		c.status, c.header = resp.StatusCode, resp.Header
	}
	return resp, err
}

func (c *callInfo) elapsed() time.Duration { return time.Since(c.start) }

// requestID is the server's request-id, for logs.
func (c *callInfo) requestID() string {
	if c.header == nil {
		return ""
	}
	return c.header.Get("Request-Id")
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
	attrs = append(attrs, slog.String("model", c.model), slog.Duration("duration", call.elapsed()))
	if call.status != 0 {
		attrs = append(attrs, slog.Int("status", call.status))
	}
	if id := call.requestID(); id != "" {
		attrs = append(attrs, slog.String("request_id", c.redact(id)))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", c.redact(err.Error())))
		var le *llm.Error
		if errors.As(err, &le) && le.Wait > 0 {
			attrs = append(attrs, slog.Duration("retry_after", le.Wait))
		}
		c.logger.LogAttrs(ctx, level, "anthropic "+op+" failed", attrs...)
		return
	}
	c.logger.LogAttrs(ctx, level, "anthropic "+op, attrs...)
}

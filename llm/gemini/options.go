package gemini

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/internal/retry"
)

// Option configures New. Every SharedOption is an Option.
type Option interface {
	applyModel(*modelConfig)
}

// EmbedOption configures NewEmbedder. Every SharedOption is an
// EmbedOption.
type EmbedOption interface {
	applyEmbed(*embedConfig)
}

// SharedOption configures both New and NewEmbedder: the key, the server,
// the HTTP client, logging, retries and timeouts.
type SharedOption interface {
	Option
	EmbedOption
}

// An invalid option value makes the constructor fail with an error
// matching chain.ErrConfig; options never panic and are never ignored.

type config struct {
	apiKey     string
	apiKeySet  bool
	baseURL    string
	apiVersion string
	httpClient *http.Client
	logger     *slog.Logger
	retry      *retry.Policy
	errs       []error
}

func (c *config) policy() *retry.Policy {
	if c.retry == nil {
		p := retry.Default()
		c.retry = &p
	}
	return c.retry
}

func (c *config) setPolicy(err error) {
	if err != nil {
		c.errs = append(c.errs, err)
	}
}

func (c *config) fail(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf(format, args...))
}

func (c *config) err() error { return errors.Join(c.errs...) }

type modelConfig struct {
	config
	options llm.Options
}

type embedConfig struct {
	config
	dimensions int
	batchSize  int
	taskType   string
}

type sharedOption func(*config)

func (o sharedOption) applyModel(c *modelConfig) { o(&c.config) }
func (o sharedOption) applyEmbed(c *embedConfig) { o(&c.config) }

type modelOption func(*modelConfig)

func (o modelOption) applyModel(c *modelConfig) { o(c) }

type embedOption func(*embedConfig)

func (o embedOption) applyEmbed(c *embedConfig) { o(c) }

// configError is a constructor's error: it matches chain.ErrConfig and
// what it wraps (ErrNoAPIKey).
type configError struct {
	fn    string
	model string
	err   error
}

func (e *configError) Error() string {
	return fmt.Sprintf("gemini.%s(%q): %v", e.fn, e.model, e.err)
}

func (e *configError) Unwrap() error        { return e.err }
func (e *configError) Is(target error) bool { return target == chain.ErrConfig }

// WithAPIKey sets the API key, instead of the environment variables
// GOOGLE_API_KEY and GEMINI_API_KEY. The key is sent only in the
// x-goog-api-key header; it never appears in errors or logs.
func WithAPIKey(key string) SharedOption {
	return sharedOption(func(c *config) { c.apiKey, c.apiKeySet = key, true })
}

// WithBaseURL sets the API's base URL, without the version (default
// DefaultBaseURL): a test server, a proxy or a gateway that speaks the
// Gemini API. It is the SDK's HTTPOptions.BaseURL; it takes precedence
// over GOOGLE_GEMINI_BASE_URL, which the SDK reads otherwise.
func WithBaseURL(url string) SharedOption {
	return sharedOption(func(c *config) { c.baseURL = url })
}

// WithAPIVersion sets the API version of the paths (default
// DefaultAPIVersion, "v1beta": the version whose features — system
// instructions, responseJsonSchema, function calling modes — the adapter
// uses). It must not be empty.
func WithAPIVersion(v string) SharedOption {
	return sharedOption(func(c *config) {
		if v == "" {
			c.fail("WithAPIVersion: empty version")
			return
		}
		c.apiVersion = v
	})
}

// WithHTTPClient sets the client that sends the requests (default: a
// plain *http.Client; calls are bounded by their context and WithTimeout,
// not by a client timeout). Its Transport is wrapped, never changed. A nil
// client makes the constructor fail.
func WithHTTPClient(client *http.Client) SharedOption {
	return sharedOption(func(c *config) {
		if client == nil {
			c.fail("WithHTTPClient: nil client")
			return
		}
		c.httpClient = client
	})
}

// WithLogger logs each call at Debug level (model, duration, status,
// tokens) and failures at Warn level. Nothing is logged by default or with
// a nil logger. Logs never hold the API key, headers or message contents.
func WithLogger(l *slog.Logger) SharedOption {
	return sharedOption(func(c *config) { c.logger = l })
}

// WithOptions sets the generation options (temperature, top_p, max
// tokens, stop, seed) of every request; a request's own non-zero options
// take precedence field by field. Options that llm.Options.Validate
// refuses make New fail.
func WithOptions(o llm.Options) Option {
	return modelOption(func(c *modelConfig) {
		if err := o.Validate(); err != nil {
			c.fail("WithOptions: %v", err)
			return
		}
		c.options = o
	})
}

// WithDimensions asks the embedding model for vectors of n components
// (outputDimensionality), and makes Dimensions known before the first
// call. n must be at least 1.
func WithDimensions(n int) EmbedOption {
	return embedOption(func(c *embedConfig) {
		if n < 1 {
			c.fail("WithDimensions: must be at least 1, got %d", n)
			return
		}
		c.dimensions = n
	})
}

// WithBatchSize sets the most texts one request holds (default and
// maximum MaxBatchSize, the API's limit); larger inputs are split. n must
// be in [1, MaxBatchSize].
func WithBatchSize(n int) EmbedOption {
	return embedOption(func(c *embedConfig) {
		if n < 1 || n > MaxBatchSize {
			c.fail("WithBatchSize: must be in [1, %d], got %d", MaxBatchSize, n)
			return
		}
		c.batchSize = n
	})
}

// WithTaskType sets the embedding task type (RETRIEVAL_QUERY,
// RETRIEVAL_DOCUMENT, SEMANTIC_SIMILARITY, CLASSIFICATION, CLUSTERING ...;
// default: none, the model's own). It must not be empty.
func WithTaskType(t string) EmbedOption {
	return embedOption(func(c *embedConfig) {
		if t == "" {
			c.fail("WithTaskType: empty task type")
			return
		}
		c.taskType = t
	})
}

// The defaults of the retry and timeout options, the same as llm/openai's.
const (
	// DefaultMaxRetries is how many times a call is retried after a
	// retryable failure (429, 5xx, a dropped connection, a timeout).
	DefaultMaxRetries = retry.DefaultMaxRetries
	// DefaultMaxRetryWait is the longest server-asked wait (Retry-After,
	// RetryInfo.retryDelay) a call obeys.
	DefaultMaxRetryWait = retry.DefaultMaxWait
	// DefaultTimeout bounds each attempt of a call.
	DefaultTimeout = retry.DefaultTimeout
)

// WithMaxRetries sets how many times a call is retried after a retryable
// failure (default DefaultMaxRetries; 0 turns retries off). The SDK's own
// retries stay off, so attempts never multiply. Retries wait with
// exponential backoff and jitter (WithRetryBackoff) or the server's
// Retry-After header or RetryInfo retryDelay when longer, up to
// WithMaxRetryWait; a wait past ctx's deadline is not started. A stream is
// retried only before its first chunk reached the caller. n < 0 makes the
// constructor fail.
func WithMaxRetries(n int) SharedOption {
	return sharedOption(func(c *config) { c.setPolicy(c.policy().SetMaxRetries(n)) })
}

// WithRetryBackoff sets the first backoff and its cap (defaults 0.5s and
// 8s). It needs 0 < initial <= max.
func WithRetryBackoff(initial, max time.Duration) SharedOption {
	return sharedOption(func(c *config) { c.setPolicy(c.policy().SetBackoff(initial, max)) })
}

// WithMaxRetryWait caps the wait a server can ask for before a retry
// (default DefaultMaxRetryWait). d must be positive.
func WithMaxRetryWait(d time.Duration) SharedOption {
	return sharedOption(func(c *config) { c.setPolicy(c.policy().SetMaxWait(d)) })
}

// WithTimeout bounds each attempt of a call (default DefaultTimeout; a
// stream's attempt lasts until its last chunk). An attempt that runs out
// fails with a retryable *llm.Error matching context.DeadlineExceeded. 0
// turns the bound off; d < 0 makes the constructor fail.
func WithTimeout(d time.Duration) SharedOption {
	return sharedOption(func(c *config) { c.setPolicy(c.policy().SetTimeout(d)) })
}

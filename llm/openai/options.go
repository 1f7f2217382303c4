package openai

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

// Doer sends HTTP requests: an *http.Client, or any client with the same
// Do method (one that signs requests, records them, or goes through a
// proxy).
type Doer interface {
	Do(req *http.Request) (*http.Response, error)
}

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
// the organization, the HTTP client and logging.
type SharedOption interface {
	Option
	EmbedOption
}

// An invalid option value makes the constructor fail with an error
// matching chain.ErrConfig; options never panic and are never silently
// ignored.

// config is what New and NewEmbedder share.
type config struct {
	apiKey     string
	apiKeySet  bool
	azure      *azureConfig
	baseURL    string
	baseURLSet bool
	org        string
	orgSet     bool
	httpClient Doer
	logger     *slog.Logger
	retry      *retry.Policy
	errs       []error
}

// policy returns the retry policy the options change, the defaults until
// one does.
func (c *config) policy() *retry.Policy {
	if c.retry == nil {
		p := retry.Default()
		c.retry = &p
	}
	return c.retry
}

// setPolicy records the error of a retry option's setter.
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
	dimensions   int
	batchSize    int
	maxTokens    int
	concurrency  int
	base64Embeds bool
}

type sharedOption func(*config)

func (o sharedOption) applyModel(c *modelConfig) { o(&c.config) }
func (o sharedOption) applyEmbed(c *embedConfig) { o(&c.config) }

type modelOption func(*modelConfig)

func (o modelOption) applyModel(c *modelConfig) { o(c) }

type embedOption func(*embedConfig)

func (o embedOption) applyEmbed(c *embedConfig) { o(c) }

// configError is a constructor's error on an invalid argument, option or
// environment: it matches chain.ErrConfig and what it wraps (ErrNoAPIKey).
type configError struct {
	fn    string
	model string
	err   error
}

func (e *configError) Error() string {
	return fmt.Sprintf("openai.%s(%q): %v", e.fn, e.model, e.err)
}

func (e *configError) Unwrap() error        { return e.err }
func (e *configError) Is(target error) bool { return target == chain.ErrConfig }

// WithAPIKey sets the API key, instead of the environment variable
// OPENAI_API_KEY. The key is sent only in the Authorization header; it never
// appears in errors or logs.
func WithAPIKey(key string) SharedOption {
	return sharedOption(func(c *config) { c.apiKey, c.apiKeySet = key, true })
}

// WithBaseURL sets the API's base URL, instead of OPENAI_BASE_URL or
// OpenAI's https://api.openai.com/v1. For an OpenAI-compatible server give
// the URL up to and including its "/v1", for example
// http://localhost:8000/v1 (vLLM), http://localhost:8080/v1 (llama.cpp's
// server) or http://localhost:1234/v1 (LM Studio).
func WithBaseURL(url string) SharedOption {
	return sharedOption(func(c *config) { c.baseURL, c.baseURLSet = url, true })
}

// WithOrganization sets the OpenAI organization sent in the
// OpenAI-Organization header, instead of OPENAI_ORG_ID.
func WithOrganization(org string) SharedOption {
	return sharedOption(func(c *config) { c.org, c.orgSet = org, true })
}

// WithHTTPClient sets the client that sends the requests (default: a plain
// *http.Client; calls are bounded by their context, not by a client
// timeout). A nil client makes the constructor fail.
func WithHTTPClient(client Doer) SharedOption {
	return sharedOption(func(c *config) {
		if hc, ok := client.(*http.Client); client == nil || ok && hc == nil {
			c.fail("WithHTTPClient: nil client")
			return
		}
		c.httpClient = client
	})
}

// WithLogger logs each call at Debug level (model, duration, status,
// tokens, request id) and failures at Warn level. Nothing is logged by
// default or with a nil logger. Logs never contain the API key, request
// headers or message contents.
func WithLogger(l *slog.Logger) SharedOption {
	return sharedOption(func(c *config) { c.logger = l })
}

// WithOptions sets the generation options (temperature, top_p, max
// tokens, stop, seed) of every chat request; a request's own non-zero
// options take precedence field by field. Options that
// llm.Options.Validate refuses (a negative MaxTokens or temperature, a
// top_p outside [0, 1]) make New fail.
func WithOptions(o llm.Options) Option {
	return modelOption(func(c *modelConfig) {
		if err := o.Validate(); err != nil {
			c.fail("WithOptions: %v", err)
			return
		}
		c.options = o
	})
}

// WithDimensions asks an embedding model for vectors of n components (the
// "dimensions" request field, which text-embedding-3 models honour), and
// makes Dimensions known before the first call. n must be at least 1.
func WithDimensions(n int) EmbedOption {
	return embedInt("WithDimensions", n, func(c *embedConfig) *int { return &c.dimensions })
}

// WithBatchSize sets the most texts the Embedder sends in one request
// (default DefaultBatchSize, OpenAI's limit); larger inputs are split. n
// must be at least 1.
func WithBatchSize(n int) EmbedOption {
	return embedInt("WithBatchSize", n, func(c *embedConfig) *int { return &c.batchSize })
}

// WithMaxRequestTokens sets an approximate bound on the tokens of one
// embeddings request (default DefaultMaxRequestTokens, OpenAI's limit): a
// request is closed early when its texts' estimated tokens (a token per 3
// bytes, rounded up) would pass it. n must be at least 1.
func WithMaxRequestTokens(n int) EmbedOption {
	return embedInt("WithMaxRequestTokens", n, func(c *embedConfig) *int { return &c.maxTokens })
}

// WithConcurrency sets how many requests one Embed call may have in flight
// when its input is split into several (default 1: one after the other).
// n must be at least 1.
func WithConcurrency(n int) EmbedOption {
	return embedInt("WithConcurrency", n, func(c *embedConfig) *int { return &c.concurrency })
}

// embedInt is an embedding option that sets *field(c) to n, failing when
// n < 1.
func embedInt(name string, n int, field func(*embedConfig) *int) EmbedOption {
	return embedOption(func(c *embedConfig) {
		if n < 1 {
			c.fail("%s: must be at least 1, got %d", name, n)
			return
		}
		*field(c) = n
	})
}

// WithBase64Embeddings asks for vectors as base64-encoded float32s
// (encoding_format "base64") instead of JSON numbers: about half the bytes
// on the wire and cheaper to decode (BenchmarkEmbed10k). OpenAI and vLLM
// support it; some OpenAI-compatible servers do not, so it is off by
// default.
func WithBase64Embeddings(on bool) EmbedOption {
	return embedOption(func(c *embedConfig) { c.base64Embeds = on })
}

// The defaults of the retry and timeout options, the same in llm/openai,
// llm/ollama and llm/oip.
const (
	// DefaultMaxRetries is how many times a call is retried after a
	// retryable failure (a 408, 409, 429 or 5xx, a dropped connection, a
	// timeout): 3 attempts in all, like OpenAI's and Anthropic's SDKs.
	DefaultMaxRetries = retry.DefaultMaxRetries
	// DefaultMaxRetryWait is the longest Retry-After of a server a call
	// obeys.
	DefaultMaxRetryWait = retry.DefaultMaxWait
	// DefaultTimeout bounds each attempt of a call, so that no call waits
	// forever on a server that stopped answering. Generations can be
	// long: it is generous.
	DefaultTimeout = retry.DefaultTimeout
)

// WithMaxRetries sets how many times a call is retried after a retryable
// failure (default DefaultMaxRetries; 0 turns retries off). Retries wait
// with exponential backoff and jitter (0.5s, then 1s, up to 8s: see
// WithRetryBackoff) or the server's Retry-After when it asks for longer,
// up to WithMaxRetryWait; a wait that would pass ctx's deadline is not
// started: the call fails at once with an error saying the server's wait.
// A stream is retried only before its first chunk reached the caller. A
// negative n makes the constructor fail.
func WithMaxRetries(n int) SharedOption {
	return sharedOption(func(c *config) { c.setPolicy(c.policy().SetMaxRetries(n)) })
}

// WithRetryBackoff sets the wait before the first retry and the cap on
// any wait of the backoff (defaults 0.5s and 8s); each wait doubles the
// previous one, less up to a quarter at random. It needs
// 0 < initial <= max.
func WithRetryBackoff(initial, max time.Duration) SharedOption {
	return sharedOption(func(c *config) { c.setPolicy(c.policy().SetBackoff(initial, max)) })
}

// WithMaxRetryWait caps the wait a server's Retry-After (retry-after-ms,
// Retry-After) can impose before a retry (default DefaultMaxRetryWait): a
// server cannot make a caller sleep for hours. d must be positive.
func WithMaxRetryWait(d time.Duration) SharedOption {
	return sharedOption(func(c *config) { c.setPolicy(c.policy().SetMaxWait(d)) })
}

// WithTimeout bounds each attempt of a call (default DefaultTimeout; a
// stream's attempt lasts until its last chunk). An attempt that runs out
// fails with a retryable *llm.Error matching context.DeadlineExceeded,
// and is retried like any retryable failure. 0 turns the bound off: then
// only ctx ends a call that gets no answer. A negative d makes the
// constructor fail.
func WithTimeout(d time.Duration) SharedOption {
	return sharedOption(func(c *config) { c.setPolicy(c.policy().SetTimeout(d)) })
}

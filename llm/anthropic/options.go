package anthropic

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

// Option configures New. An invalid option value makes New fail with an
// error matching chain.ErrConfig; options never panic and are never
// silently ignored.
type Option func(*config)

type config struct {
	apiKey     string
	apiKeySet  bool
	baseURL    string
	baseURLSet bool
	httpClient Doer
	logger     *slog.Logger
	retry      *retry.Policy
	options    llm.Options
	maxTokens  int
	cache      CachePoint
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

func (c *config) setPolicy(err error) {
	if err != nil {
		c.errs = append(c.errs, err)
	}
}

func (c *config) fail(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf(format, args...))
}

func (c *config) err() error { return errors.Join(c.errs...) }

// configError is New's error on an invalid argument, option or
// environment: it matches chain.ErrConfig and what it wraps (ErrNoAPIKey).
type configError struct {
	model string
	err   error
}

func (e *configError) Error() string {
	return fmt.Sprintf("anthropic.New(%q): %v", e.model, e.err)
}

func (e *configError) Unwrap() error        { return e.err }
func (e *configError) Is(target error) bool { return target == chain.ErrConfig }

// WithAPIKey sets the API key, instead of the environment variable
// ANTHROPIC_API_KEY. The key is sent only in the x-api-key header; it never
// appears in errors or logs.
func WithAPIKey(key string) Option {
	return func(c *config) { c.apiKey, c.apiKeySet = key, true }
}

// WithBaseURL sets the API's base URL, instead of ANTHROPIC_BASE_URL or
// DefaultBaseURL: the URL before "/v1/messages", for example a proxy's
// http://localhost:8080.
func WithBaseURL(url string) Option {
	return func(c *config) { c.baseURL, c.baseURLSet = url, true }
}

// WithHTTPClient sets the client that sends the requests (default: a plain
// *http.Client; calls are bounded by their context and WithTimeout, not by
// a client timeout). A nil client makes New fail.
func WithHTTPClient(client Doer) Option {
	return func(c *config) {
		if hc, ok := client.(*http.Client); client == nil || ok && hc == nil {
			c.fail("WithHTTPClient: nil client")
			return
		}
		c.httpClient = client
	}
}

// WithLogger logs each call at Debug level (model, duration, status,
// tokens, request id) and failures at Warn level. Nothing is logged by
// default or with a nil logger. Logs never contain the API key, request
// headers or message contents.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// WithOptions sets the generation options of every request; a request's
// own non-zero options take precedence field by field. MaxTokens becomes
// max_tokens and Stop stop_sequences; Temperature, TopP and Seed are left
// out, because the Messages API (version 2026-10-21) has no such
// parameters, and a Debug record says so. Options that
// llm.Options.Validate refuses make New fail.
func WithOptions(o llm.Options) Option {
	return func(c *config) {
		if err := o.Validate(); err != nil {
			c.fail("WithOptions: %v", err)
			return
		}
		c.options = o
	}
}

// DefaultMaxTokens is the max_tokens of a request that sets none, neither
// itself nor through WithOptions: the Messages API requires one.
const DefaultMaxTokens = 4096

// WithMaxTokens sets the max_tokens of requests that set none (default
// DefaultMaxTokens). n must be at least 1.
func WithMaxTokens(n int) Option {
	return func(c *config) {
		if n < 1 {
			c.fail("WithMaxTokens: must be at least 1, got %d", n)
			return
		}
		c.maxTokens = n
	}
}

// CachePoint says where WithPromptCaching puts a cache breakpoint
// (cache_control {"type":"ephemeral"}); the values combine with |.
type CachePoint uint8

// The cache breakpoints.
const (
	// CacheSystem marks the last block of the system prompt.
	CacheSystem CachePoint = 1 << iota
	// CacheTools marks the last tool definition.
	CacheTools
	// CacheLastMessage marks the last content block of the last message,
	// so that the next turn of the conversation reads it all from the
	// cache.
	CacheLastMessage
)

// WithPromptCaching marks the parts of every request that points names
// with cache_control {"type":"ephemeral"}: Anthropic caches the prompt up
// to each mark for five minutes, and bills reads of it at a tenth of the
// price. The Usage of a response says how many input tokens were written
// to the cache and read from it. Without the option nothing is marked.
// points must name at least one breakpoint.
func WithPromptCaching(points CachePoint) Option {
	return func(c *config) {
		if points == 0 || points&^(CacheSystem|CacheTools|CacheLastMessage) != 0 {
			c.fail("WithPromptCaching: %d names no known cache point (CacheSystem, CacheTools, CacheLastMessage)", points)
			return
		}
		c.cache = points
	}
}

// The defaults of the retry and timeout options, the same as in
// llm/openai, llm/ollama and llm/oip.
const (
	// DefaultMaxRetries is how many times a call is retried after a
	// retryable failure (a 408, 409, 429, 5xx or 529, a dropped
	// connection, a timeout): 3 attempts in all, like Anthropic's SDK.
	DefaultMaxRetries = retry.DefaultMaxRetries
	// DefaultMaxRetryWait is the longest retry-after of the server a call
	// obeys.
	DefaultMaxRetryWait = retry.DefaultMaxWait
	// DefaultTimeout bounds each attempt of a call, so that no call waits
	// forever on a server that stopped answering: 10 minutes, as
	// Anthropic recommends.
	DefaultTimeout = retry.DefaultTimeout
)

// WithMaxRetries sets how many times a call is retried after a retryable
// failure (default DefaultMaxRetries; 0 turns retries off). Retries wait
// with exponential backoff and jitter (0.5s, then 1s, up to 8s: see
// WithRetryBackoff) or the server's retry-after when it asks for longer,
// up to WithMaxRetryWait; a wait that would pass ctx's deadline is not
// started. A stream is retried only before its first chunk reached the
// caller. The SDK's own retries are off: the adapter makes them. A
// negative n makes New fail.
func WithMaxRetries(n int) Option {
	return func(c *config) { c.setPolicy(c.policy().SetMaxRetries(n)) }
}

// WithRetryBackoff sets the wait before the first retry and the cap on
// any wait of the backoff (defaults 0.5s and 8s); each wait doubles the
// previous one, less up to a quarter at random. It needs
// 0 < initial <= max.
func WithRetryBackoff(initial, max time.Duration) Option {
	return func(c *config) { c.setPolicy(c.policy().SetBackoff(initial, max)) }
}

// WithMaxRetryWait caps the wait a server's retry-after (retry-after-ms,
// retry-after) can impose before a retry (default DefaultMaxRetryWait). d
// must be positive.
func WithMaxRetryWait(d time.Duration) Option {
	return func(c *config) { c.setPolicy(c.policy().SetMaxWait(d)) }
}

// WithTimeout bounds each attempt of a call (default DefaultTimeout; a
// stream's attempt lasts until its last event). An attempt that runs out
// fails with a retryable *llm.Error matching context.DeadlineExceeded,
// and is retried like any retryable failure. 0 turns the bound off. A
// negative d makes New fail.
func WithTimeout(d time.Duration) Option {
	return func(c *config) { c.setPolicy(c.policy().SetTimeout(d)) }
}

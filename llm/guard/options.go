package guard

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// Option configures New, NewEmbedder and NewOCR. Every layer is off unless its
// option is given. A bad value makes the constructor fail with an error
// matching chain.ErrConfig; an option applies only where it makes sense
// (WithFallback to New, WithFallbackEmbedders to NewEmbedder, WithFallbackOCR to NewOCR)
// and is a constructor error elsewhere.
type Option func(*config)

// Defaults of the layers' settings.
const (
	// DefaultBackoff and DefaultMaxBackoff bound the wait between retries:
	// the first wait is drawn from [0, DefaultBackoff], each later one from
	// twice the range of the previous, up to DefaultMaxBackoff.
	DefaultBackoff    = 200 * time.Millisecond
	DefaultMaxBackoff = 10 * time.Second
	// DefaultMaxRetryAfter caps how long a server's Retry-After can make a
	// call wait before the next attempt.
	DefaultMaxRetryAfter = time.Minute
	// DefaultCooldown is how long a tripped breaker stays open.
	DefaultCooldown = 30 * time.Second
)

type config struct {
	name string

	attempts      int
	backoff       time.Duration
	maxBackoff    time.Duration
	maxRetryAfter time.Duration
	retryIf       func(error) bool

	timeout time.Duration

	fallbacks    []llm.ChatModel
	embFallbacks []llm.Embedder
	ocrFallbacks []llm.OCR

	breaker   bool
	threshold int
	cooldown  time.Duration
	health    func(context.Context) error

	rpm, tpm   int
	counter    llm.TokenCounter
	concurrent int
	cache      int
	clock      chain.Clock

	errs []error
}

func (c *config) fail(fn, format string, args ...any) {
	c.errs = append(c.errs, configErr(fn, format, args...))
}

func newConfig(fn string, opts []Option) (*config, error) {
	c := &config{
		backoff:       DefaultBackoff,
		maxBackoff:    DefaultMaxBackoff,
		maxRetryAfter: DefaultMaxRetryAfter,
		retryIf:       Retryable,
		cooldown:      DefaultCooldown,
		counter:       llm.ApproxTokens(),
		clock:         realClock{},
	}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	if len(c.errs) > 0 {
		return nil, &configError{fn, errors.Join(c.errs...)}
	}
	return c, nil
}

// WithName sets the name of the guarded model's node: the segment of the hook
// path its events are reported on ("answer/gpt" with EventRetry), and the
// prefix of its errors. By default the node is named after the model
// ("openai:gpt-4o-mini") and its errors are the model's own.
func WithName(name string) Option {
	return func(c *config) {
		if name == "" {
			c.fail("Name", "empty name")
		}
		c.name = name
	}
}

// WithRetry retries a call that failed with a retryable error (see Retryable)
// up to attempts times in all, the first included. Waits between attempts
// grow exponentially with full jitter (see WithBackoff); a server's
// Retry-After is honoured, capped by WithMaxRetryAfter; a wait that would end
// past the caller's deadline is not started: the call fails at once with
// a *WaitError that carries the server's wait. attempts must be at least 1.
func WithRetry(attempts int) Option {
	return func(c *config) {
		if attempts < 1 {
			c.fail("Retry", "attempts must be at least 1, got %d", attempts)
		}
		c.attempts = attempts
	}
}

// WithBackoff sets the range of the first wait between retries and the cap of
// any (defaults DefaultBackoff and DefaultMaxBackoff). Each wait is drawn
// uniformly from [0, d] ("full jitter"), d doubling from initial up to
// max. It needs 0 < initial <= max.
func WithBackoff(initial, max time.Duration) Option {
	return func(c *config) {
		if initial <= 0 || max < initial {
			c.fail("Backoff", "need 0 < initial <= max, got %v and %v", initial, max)
		}
		c.backoff, c.maxBackoff = initial, max
	}
}

// WithMaxRetryAfter caps the wait a server's Retry-After can impose before the
// next attempt (default DefaultMaxRetryAfter): a server asking for an hour
// is retried after d. d must be positive.
func WithMaxRetryAfter(d time.Duration) Option {
	return func(c *config) {
		if d <= 0 {
			c.fail("MaxRetryAfter", "must be positive, got %v", d)
		}
		c.maxRetryAfter = d
	}
}

// WithRetryIf replaces the classification of failures worth retrying (default
// Retryable). The caller's cancellation is never retried.
func WithRetryIf(f func(error) bool) Option {
	return func(c *config) {
		if f == nil {
			c.fail("RetryIf", "nil function")
		}
		c.retryIf = f
	}
}

// WithTimeout bounds each attempt of a call to d (for a stream: the whole
// stream of the attempt). An attempt that runs out fails with a
// *chain.TimeoutError, which is retryable. d must be positive.
func WithTimeout(d time.Duration) Option {
	return func(c *config) {
		if d <= 0 {
			c.fail("Timeout", "must be positive, got %v", d)
		}
		c.timeout = d
	}
}

// WithFallback makes Chat try models in order when the guarded model fails
// (after its retries): each gets the same layers, with state of its own
// (its own breaker, rate limit and concurrency cap). Only for New.
func WithFallback(models ...llm.ChatModel) Option {
	return func(c *config) { addFallbacks(c, "Fallback", "model", &c.fallbacks, models) }
}

// WithFallbackEmbedders is WithFallback for NewEmbedder: other embedders, which must
// give vectors of the same length.
func WithFallbackEmbedders(es ...llm.Embedder) Option {
	return func(c *config) { addFallbacks(c, "FallbackEmbedders", "embedder", &c.embFallbacks, es) }
}

// WithFallbackOCR is WithFallback for NewOCR: other OCR engines.
func WithFallbackOCR(engines ...llm.OCR) Option {
	return func(c *config) { addFallbacks(c, "FallbackOCR", "engine", &c.ocrFallbacks, engines) }
}

// addFallbacks appends xs to *dst, failing the option opt when there are
// none or one is nil.
func addFallbacks[T any](c *config, opt, what string, dst *[]T, xs []T) {
	if len(xs) == 0 {
		c.fail(opt, "no %ss", what)
	}
	for i, x := range xs {
		if isNil(x) {
			c.fail(opt, "%s %d is nil", what, i)
		}
	}
	*dst = append(*dst, xs...)
}

// WithBreaker guards the model with a chain.CircuitBreaker: after threshold
// calls in a row that failed for a fault of the model's server (see
// IsFault: retryable errors, timeouts, 5xx; never the caller's bad
// request or cancellation), it refuses calls with a *chain.OpenError for
// cooldown (0 for DefaultCooldown), then lets one probe through (after
// WithHealthCheck, if any). threshold must be at least 1.
func WithBreaker(threshold int, cooldown time.Duration) Option {
	return func(c *config) {
		if threshold < 1 {
			c.fail("Breaker", "threshold must be at least 1, got %d", threshold)
		}
		if cooldown < 0 {
			c.fail("Breaker", "negative cooldown %v", cooldown)
		}
		c.breaker, c.threshold = true, threshold
		if cooldown > 0 {
			c.cooldown = cooldown
		}
	}
}

// WithHealthCheck sets the check a tripped breaker runs when its cooldown has
// passed, before it lets a probe through (a model server's readiness
// endpoint, say). It needs WithBreaker.
func WithHealthCheck(check func(ctx context.Context) error) Option {
	return func(c *config) {
		if check == nil {
			c.fail("HealthCheck", "nil function")
		}
		c.health = check
	}
}

// WithRateLimit holds calls to requestsPerMinute and tokensPerMinute (0 for
// no limit on one of them) with client-side token buckets that refill
// continuously. The request bucket holds one second's worth (at least
// one), so requests are spread evenly; the token bucket a minute's worth,
// so a large request fits. A call takes its slot before each attempt:
// tokens are estimated before the call (the request's messages by
// WithTokenCounter, plus its MaxTokens) and corrected with the usage the model
// reports. A call waits for its slot, but fails at once with a
// *RateLimitError when the slot is past the caller's deadline. Both must
// be non-negative, and one positive.
func WithRateLimit(requestsPerMinute, tokensPerMinute int) Option {
	return func(c *config) {
		if requestsPerMinute < 0 || tokensPerMinute < 0 || requestsPerMinute+tokensPerMinute == 0 {
			c.fail("RateLimit", "need non-negative limits, one positive, got %d requests and %d tokens per minute", requestsPerMinute, tokensPerMinute)
		}
		c.rpm, c.tpm = requestsPerMinute, tokensPerMinute
	}
}

// WithTokenCounter sets how WithRateLimit estimates a request's tokens before the
// call (default llm.ApproxTokens).
func WithTokenCounter(tc llm.TokenCounter) Option {
	return func(c *config) {
		if isNil(tc) {
			c.fail("TokenCounter", "nil counter")
		}
		c.counter = tc
	}
}

// WithMaxConcurrent lets at most n attempts run at once; others wait for a
// slot, or until their context ends. n must be at least 1.
func WithMaxConcurrent(n int) Option {
	return func(c *config) {
		if n < 1 {
			c.fail("MaxConcurrent", "must be at least 1, got %d", n)
		}
		c.concurrent = n
	}
}

// WithCache keeps the answers of up to maxEntries calls in memory, least
// recently used first out, keyed on the whole request (every message with
// its images, the tools, the tool choice, the format and the options): a
// call asked again is answered from memory without a request, with the
// same answer but a zero Usage, as no tokens were spent. Streams bypass
// the cache. Cached values are shared: do not modify them.
// maxEntries must be at least 1.
func WithCache(maxEntries int) Option {
	return func(c *config) {
		if maxEntries < 1 {
			c.fail("Cache", "must be at least 1 entry, got %d", maxEntries)
		}
		c.cache = maxEntries
	}
}

// WithClock sets the clock that backoff, Retry-After waits, rate limits
// and the breaker's cooldown read (default: the real one). Tests pass a
// fake clock, such as one of chain/chaintest. Per-attempt timeouts and
// the caller's deadlines are real time.
func WithClock(clk chain.Clock) Option {
	return func(c *config) {
		if isNil(clk) {
			c.fail("WithClock", "nil clock")
		}
		c.clock = clk
	}
}

// detail lists the layers, for the node in the inference graph.
func (c *config) detail() string {
	var parts []string
	if c.cache > 0 {
		parts = append(parts, fmt.Sprintf("cache %d", c.cache))
	}
	if c.rpm > 0 {
		parts = append(parts, fmt.Sprintf("%d rpm", c.rpm))
	}
	if c.tpm > 0 {
		parts = append(parts, fmt.Sprintf("%d tpm", c.tpm))
	}
	if c.concurrent > 0 {
		parts = append(parts, fmt.Sprintf("%d concurrent", c.concurrent))
	}
	if c.breaker {
		parts = append(parts, "breaker")
	}
	if c.attempts > 0 {
		parts = append(parts, fmt.Sprintf("retry %d", c.attempts))
	}
	if c.timeout > 0 {
		parts = append(parts, fmt.Sprintf("timeout %v", c.timeout))
	}
	return strings.Join(parts, ", ")
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

package oip

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/chorus-go/chorus/llm/internal/retry"
)

// Doer sends HTTP requests: an *http.Client, or any client with the same
// Do method (one that signs requests or goes through a proxy).
type Doer interface {
	Do(req *http.Request) (*http.Response, error)
}

// Option configures New. An invalid value makes New fail.
type Option func(*config)

type config struct {
	version    string
	hc         Doer
	header     http.Header
	noValidate bool
	retry      *retry.Policy
	err        error
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

// WithVersion asks for one version of the model
// (/v2/models/{name}/versions/{version}/...). Without it the server picks
// one.
func WithVersion(v string) Option {
	return func(c *config) { c.version = v }
}

// WithHTTPClient sets the client that sends the requests (default: a
// plain *http.Client; calls are bounded by their context, not by a client
// timeout). A nil client makes New fail.
func WithHTTPClient(d Doer) Option {
	return func(c *config) {
		if hc, ok := d.(*http.Client); d == nil || ok && hc == nil {
			c.fail(errors.New("WithHTTPClient: nil client"))
			return
		}
		c.hc = d
	}
}

// WithHeader adds a header to every request, such as Authorization for a
// KServe endpoint behind an authenticating gateway. Header values never
// appear in errors. A key that is not an HTTP header name, or a value with
// a line break or a NUL, makes New fail.
func WithHeader(key, value string) Option {
	return func(c *config) {
		if !validHeaderName(key) {
			c.fail(fmt.Errorf("WithHeader: %q is not a valid header name", key))
			return
		}
		if strings.ContainsAny(value, "\r\n\x00") {
			c.fail(fmt.Errorf("WithHeader: the value of %q holds a line break or a NUL", key))
			return
		}
		if c.header == nil {
			c.header = http.Header{}
		}
		c.header.Add(key, value)
	}
}

// WithoutValidation sends inputs without checking them against the
// model's metadata first (each tensor is still checked with Validate), for
// servers whose metadata is missing or not to be trusted. The server then
// refuses what does not fit, with an HTTP 400.
func WithoutValidation() Option {
	return func(c *config) { c.noValidate = true }
}

// fail records the first invalid option.
func (c *config) fail(err error) {
	if c.err == nil && err != nil {
		c.err = err
	}
}

// validHeaderName reports whether key is an HTTP header name: a non-empty
// token of RFC 9110.
func validHeaderName(key string) bool {
	if key == "" {
		return false
	}
	for _, r := range key {
		if r >= 0x80 || r <= ' ' || strings.ContainsRune("\"(),/:;<=>?@[\\]{}", r) || r == 0x7f {
			return false
		}
	}
	return true
}

// The defaults of the retry and timeout options, the same in llm/openai,
// llm/ollama and llm/oip.
const (
	// DefaultMaxRetries is how many times an inference (or a metadata
	// read) is retried after a retryable failure (a 408, 409, 429 or 5xx,
	// a dropped connection, a timeout): 3 attempts in all.
	DefaultMaxRetries = retry.DefaultMaxRetries
	// DefaultMaxRetryWait is the longest Retry-After of a server a call
	// obeys.
	DefaultMaxRetryWait = retry.DefaultMaxWait
	// DefaultTimeout bounds each attempt of a call, and each health
	// probe, so that no call waits forever on a server that stopped
	// answering.
	DefaultTimeout = retry.DefaultTimeout
)

// WithMaxRetries sets how many times an inference or a metadata read is
// retried after a retryable failure (default DefaultMaxRetries; 0 turns
// retries off; health probes are never retried). Retries wait with
// exponential backoff and jitter (0.5s, then 1s, up to 8s: see
// WithRetryBackoff) or the server's Retry-After when it asks for longer,
// up to WithMaxRetryWait; a wait that would pass ctx's deadline is not
// started: the call fails at once with an error saying the server's wait.
// A negative n makes New fail.
func WithMaxRetries(n int) Option {
	return func(c *config) { c.fail(c.policy().SetMaxRetries(n)) }
}

// WithRetryBackoff sets the wait before the first retry and the cap on
// any wait of the backoff (defaults 0.5s and 8s); each wait doubles the
// previous one, less up to a quarter at random. It needs
// 0 < initial <= max.
func WithRetryBackoff(initial, max time.Duration) Option {
	return func(c *config) { c.fail(c.policy().SetBackoff(initial, max)) }
}

// WithMaxRetryWait caps the wait a server's Retry-After can impose before
// a retry (default DefaultMaxRetryWait). d must be positive.
func WithMaxRetryWait(d time.Duration) Option {
	return func(c *config) { c.fail(c.policy().SetMaxWait(d)) }
}

// WithTimeout bounds each attempt of a call and each probe (default
// DefaultTimeout). An attempt that runs out fails with a retryable
// *llm.Error matching context.DeadlineExceeded, and is retried like any
// retryable failure. 0 turns the bound off: then only ctx ends a call
// that gets no answer. A negative d makes New fail.
func WithTimeout(d time.Duration) Option {
	return func(c *config) { c.fail(c.policy().SetTimeout(d)) }
}

package ollama

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"strings"
	"time"

	"github.com/ollama/ollama/api"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/internal/retry"
)

// Option configures New. Every SharedOption is an Option.
type Option interface {
	applyModel(*modelConfig)
}

// EmbedOption configures NewEmbedder. Every SharedOption is an EmbedOption.
type EmbedOption interface {
	applyEmbed(*embedConfig)
}

// SharedOption configures both New and NewEmbedder: the server, the HTTP
// client, keep_alive, model options and logging.
type SharedOption interface {
	Option
	EmbedOption
}

// GenerateOption configures one Generate or GenerateStream call.
type GenerateOption interface {
	applyGenerate(*generateConfig)
}

// GenerationOption is WithOptions's: an Option of New (the options of
// every request) and a GenerateOption (the options of one completion).
type GenerationOption interface {
	Option
	GenerateOption
}

// Doer sends HTTP requests: an *http.Client, or any client with the same
// Do method (one that signs requests, records them, or goes through a
// proxy).
type Doer interface {
	Do(req *http.Request) (*http.Response, error)
}

// An invalid option value makes the constructor fail with an error
// matching chain.ErrConfig; options never panic and are never silently
// ignored.

// connConfig is what New and NewEmbedder share.
type connConfig struct {
	host       string      // WithHost; "" reads OLLAMA_HOST
	hostSet    bool        // WithHost was given
	httpClient Doer        // WithHTTPClient
	client     *api.Client // WithClient
	keepAlive  *api.Duration
	modelOpts  map[string]any
	logger     *slog.Logger
	header     http.Header // WithHeader
	retry      *retry.Policy
	errs       []error
}

// policy returns the retry policy the options change, the defaults until
// one does.
func (c *connConfig) policy() *retry.Policy {
	if c.retry == nil {
		p := retry.Default()
		c.retry = &p
	}
	return c.retry
}

// setPolicy records the error of a retry option's setter.
func (c *connConfig) setPolicy(err error) {
	if err != nil {
		c.errs = append(c.errs, err)
	}
}

func (c *connConfig) fail(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf(format, args...))
}

func (c *connConfig) err() error { return errors.Join(c.errs...) }

// configError is a constructor's error on an invalid argument, option or
// environment: it matches chain.ErrConfig.
type configError struct {
	fn    string
	model string
	err   error
}

func (e *configError) Error() string {
	return fmt.Sprintf("ollama.%s(%q): %v", e.fn, e.model, e.err)
}

func (e *configError) Unwrap() error        { return e.err }
func (e *configError) Is(target error) bool { return target == chain.ErrConfig }

type modelConfig struct {
	connConfig
	think   *api.ThinkValue
	options llm.Options
}

type embedConfig struct {
	connConfig
	batchSize  int
	dimensions int
	truncate   *bool
}

// sharedOption is an option of both constructors.
type sharedOption func(*connConfig)

func (o sharedOption) applyModel(c *modelConfig) { o(&c.connConfig) }
func (o sharedOption) applyEmbed(c *embedConfig) { o(&c.connConfig) }

type modelOption func(*modelConfig)

func (o modelOption) applyModel(c *modelConfig) { o(c) }

type embedOption func(*embedConfig)

func (o embedOption) applyEmbed(c *embedConfig) { o(c) }

// WithHost sets the Ollama server instead of the OLLAMA_HOST environment
// variable. It takes the forms OLLAMA_HOST takes: "http://host:port",
// "host:port", "host" (port 11434), "https://host" (port 443), with an
// optional path prefix for servers behind a reverse proxy.
func WithHost(host string) SharedOption {
	return sharedOption(func(c *connConfig) {
		c.host, c.hostSet = host, true
	})
}

// WithHTTPClient sets the client requests go through (default: a client
// of the adapter's own, with its own connection pool and no overall
// timeout: a request is bounded by its context). An *http.Client is copied
// and its transport wrapped to read the status and Retry-After of failed
// responses, which the api client does not report; the client given is
// not modified. Any other Doer is called for every request and follows
// redirects itself. A nil client makes the constructor fail.
func WithHTTPClient(hc Doer) SharedOption {
	return sharedOption(func(c *connConfig) {
		if p, ok := hc.(*http.Client); hc == nil || ok && p == nil {
			c.fail("WithHTTPClient: nil client")
			return
		}
		c.httpClient = hc
	})
}

// WithClient sets the api client to use as is, instead of building one
// from the host and the HTTP client (WithHost and WithHTTPClient are then
// ignored, except that the host still names the server in error
// messages). Without the adapter's transport, an error status with an
// empty body is reported as an incomplete answer, and Retry-After is not
// seen.
func WithClient(client *api.Client) SharedOption {
	return sharedOption(func(c *connConfig) {
		if client == nil {
			c.fail("WithClient: nil client")
			return
		}
		c.client = client
	})
}

// WithKeepAlive sets how long the server keeps the model loaded after each
// request (keep_alive). Zero unloads it at once; a negative duration keeps
// it loaded until the server stops. Without it the server's default
// applies (5 minutes, or OLLAMA_KEEP_ALIVE).
func WithKeepAlive(d time.Duration) SharedOption {
	return sharedOption(func(c *connConfig) {
		c.keepAlive = &api.Duration{Duration: d}
	})
}

// WithModelOptions sets Ollama's raw model options sent with every request
// ("options": num_ctx, top_k, repeat_penalty, num_gpu, ...; see Ollama's
// Modelfile parameters). The map is copied. For chat and generate, the
// llm.Options (WithOptions, then the request's own) take precedence over
// the same keys here: Temperature as temperature, TopP as top_p,
// MaxTokens as num_predict, Stop as stop and Seed as seed.
func WithModelOptions(opts map[string]any) SharedOption {
	return sharedOption(func(c *connConfig) {
		if c.modelOpts == nil {
			c.modelOpts = make(map[string]any, len(opts))
		}
		maps.Copy(c.modelOpts, opts)
	})
}

// WithOptions sets generation options (temperature, top_p, max tokens,
// stop, seed). Given to New, they apply to every chat request and
// completion, whose own non-zero options take precedence field by field;
// given to Generate or GenerateStream, they are that completion's own.
// Options that llm.Options.Validate refuses (a negative MaxTokens or
// temperature, a top_p outside [0, 1]) make New fail; a negative
// MaxTokens also makes Generate fail.
func WithOptions(o llm.Options) GenerationOption { return generationOption(o) }

type generationOption llm.Options

func (o generationOption) applyModel(c *modelConfig) {
	if err := llm.Options(o).Validate(); err != nil {
		c.fail("WithOptions: %v", err)
		return
	}
	c.options = llm.Options(o)
}

func (o generationOption) applyGenerate(c *generateConfig) { c.options = llm.Options(o) }

// WithLogger sets a logger for what the adapter adapts silently: JSON
// Schema keywords Ollama's tool parameters cannot carry, a tool choice
// Ollama cannot enforce, a strict schema flag it ignores, tool call IDs
// made up (all at Debug). Without it nothing is logged.
func WithLogger(l *slog.Logger) SharedOption {
	return sharedOption(func(c *connConfig) { c.logger = l })
}

// WithHeader adds a header to every request sent to the server (not to
// another host a redirect leads to), such as Authorization for an Ollama
// server behind an authenticating proxy. Its value never appears in the
// adapter's errors or logs. A key that is not an HTTP header name, a value
// with a line break or a NUL, or WithClient (whose requests the adapter
// does not send) makes the constructor fail.
func WithHeader(key, value string) SharedOption {
	return sharedOption(func(c *connConfig) {
		if !validHeaderName(key) {
			c.fail("WithHeader: %q is not a valid header name", key)
			return
		}
		if strings.ContainsAny(value, "\r\n\x00") {
			c.fail("WithHeader: the value of %q holds a line break or a NUL", key)
			return
		}
		if c.header == nil {
			c.header = http.Header{}
		}
		c.header.Add(key, value)
	})
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

// WithThink turns a thinking model's reasoning on or off ("think"). The
// adapter returns only the answer, never the reasoning, so turning it off
// saves time and tokens when the reasoning is not needed. Without it the
// model's default applies.
func WithThink(on bool) Option {
	return modelOption(func(c *modelConfig) {
		c.think = &api.ThinkValue{Value: on}
	})
}

// DefaultBatchSize is how many texts NewEmbedder sends in one request
// unless WithBatchSize says otherwise.
const DefaultBatchSize = 512

// WithBatchSize sets the most texts sent in one /api/embed request (default
// DefaultBatchSize); Embed splits longer inputs into several requests and
// keeps the order. n must be at least 1.
func WithBatchSize(n int) EmbedOption {
	return embedOption(func(c *embedConfig) {
		if n < 1 {
			c.fail("WithBatchSize: size must be at least 1, got %d", n)
			return
		}
		c.batchSize = n
	})
}

// WithDimensions asks the server to shorten the vectors to n values
// ("dimensions", for models trained for it) and makes Dimensions report n
// before the first call. Embed fails if the server answers with vectors of
// another length. n must be at least 1.
func WithDimensions(n int) EmbedOption {
	return embedOption(func(c *embedConfig) {
		if n < 1 {
			c.fail("WithDimensions: dimensions must be at least 1, got %d", n)
			return
		}
		c.dimensions = n
	})
}

// WithTruncate sets whether the server cuts texts longer than the model's
// context to fit ("truncate"; the server's default is true). With false, a
// text that is too long fails the request with HTTP 400.
func WithTruncate(on bool) EmbedOption {
	return embedOption(func(c *embedConfig) { c.truncate = &on })
}

// The defaults of the retry and timeout options, the same in llm/openai,
// llm/ollama and llm/oip.
const (
	// DefaultMaxRetries is how many times a call is retried after a
	// retryable failure (a 408, 409, 429 or 5xx, a dropped connection, an
	// answer cut before done, a timeout): 3 attempts in all, like
	// OpenAI's and Anthropic's SDKs.
	DefaultMaxRetries = retry.DefaultMaxRetries
	// DefaultMaxRetryWait is the longest Retry-After of a server a call
	// obeys.
	DefaultMaxRetryWait = retry.DefaultMaxWait
	// DefaultTimeout bounds each attempt of a call, so that no call waits
	// forever on a server that stopped answering (a real Ollama server
	// can, after clients disconnect mid-stream). Generations on a CPU can
	// be long: it is generous.
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
	return sharedOption(func(c *connConfig) { c.setPolicy(c.policy().SetMaxRetries(n)) })
}

// WithRetryBackoff sets the wait before the first retry and the cap on
// any wait of the backoff (defaults 0.5s and 8s); each wait doubles the
// previous one, less up to a quarter at random. It needs
// 0 < initial <= max.
func WithRetryBackoff(initial, max time.Duration) SharedOption {
	return sharedOption(func(c *connConfig) { c.setPolicy(c.policy().SetBackoff(initial, max)) })
}

// WithMaxRetryWait caps the wait a server's Retry-After can impose before
// a retry (default DefaultMaxRetryWait): a server cannot make a caller
// sleep for hours. d must be positive.
func WithMaxRetryWait(d time.Duration) SharedOption {
	return sharedOption(func(c *connConfig) { c.setPolicy(c.policy().SetMaxWait(d)) })
}

// WithTimeout bounds each attempt of a call (default DefaultTimeout; a
// stream's attempt lasts until its last chunk). An attempt that runs out
// fails with a retryable *llm.Error matching context.DeadlineExceeded,
// and is retried like any retryable failure. 0 turns the bound off: then
// only ctx ends a call that gets no answer. A negative d makes the
// constructor fail.
func WithTimeout(d time.Duration) SharedOption {
	return sharedOption(func(c *connConfig) { c.setPolicy(c.policy().SetTimeout(d)) })
}

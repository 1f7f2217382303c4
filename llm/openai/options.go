package openai

import (
	"log/slog"
	"net/http"

	"github.com/chorus-go/chorus/llm"
)

// Doer sends HTTP requests: an *http.Client, or any client with the same
// Do method (one that signs requests, records them, or goes through a
// proxy).
type Doer interface {
	Do(req *http.Request) (*http.Response, error)
}

// Option configures New and NewEmbedder. Options that only concern one of
// them (WithDefaultOptions for chat; WithDimensions, WithBatchSize,
// WithMaxRequestTokens, WithConcurrency and WithBase64Embeddings for
// embeddings) are ignored by the other.
type Option func(*config)

type config struct {
	apiKey       string
	apiKeySet    bool
	baseURL      string
	baseURLSet   bool
	org          string
	orgSet       bool
	httpClient   Doer
	defaults     llm.Options
	logger       *slog.Logger
	dimensions   int
	batchSize    int
	maxTokens    int
	concurrency  int
	base64Embeds bool
}

// WithAPIKey sets the API key, instead of the environment variable
// OPENAI_API_KEY. The key is sent only in the Authorization header; it never
// appears in errors or logs.
func WithAPIKey(key string) Option {
	return func(c *config) { c.apiKey, c.apiKeySet = key, true }
}

// WithBaseURL sets the API's base URL, instead of OPENAI_BASE_URL or
// OpenAI's https://api.openai.com/v1. For an OpenAI-compatible server give
// the URL up to and including its "/v1", for example
// http://localhost:8000/v1 (vLLM), http://localhost:8080/v1 (llama.cpp's
// server) or http://localhost:1234/v1 (LM Studio).
func WithBaseURL(url string) Option {
	return func(c *config) { c.baseURL, c.baseURLSet = url, true }
}

// WithOrganization sets the OpenAI organization sent in the
// OpenAI-Organization header, instead of OPENAI_ORG_ID.
func WithOrganization(org string) Option {
	return func(c *config) { c.org, c.orgSet = org, true }
}

// WithHTTPClient sets the client that sends the requests (default: a plain
// *http.Client; calls are bounded by their context, not by a client
// timeout). A nil client is ignored.
func WithHTTPClient(client Doer) Option {
	return func(c *config) {
		if client != nil {
			c.httpClient = client
		}
	}
}

// WithDefaultOptions sets generation options applied to every chat
// request; a request's own non-zero options take precedence field by field.
func WithDefaultOptions(o llm.Options) Option {
	return func(c *config) { c.defaults = o }
}

// WithLogger logs each call at Debug level (model, duration, status,
// tokens, request id) and failures at Warn level. Nothing is logged by
// default. Logs never contain the API key, request headers or message
// contents.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// WithDimensions asks an embedding model for vectors of n components (the
// "dimensions" request field, which text-embedding-3 models honour), and
// makes Dimensions known before the first call. n < 1 is ignored.
func WithDimensions(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.dimensions = n
		}
	}
}

// WithBatchSize sets the most texts the Embedder sends in one request
// (default 2048, OpenAI's limit); larger inputs are split. n < 1 is
// ignored.
func WithBatchSize(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.batchSize = n
		}
	}
}

// WithMaxRequestTokens sets an approximate bound on the tokens of one
// embeddings request (default 300000, OpenAI's limit): a request is closed
// early when its texts' estimated tokens (a token per 3 bytes, rounded up)
// would pass it. n < 1 is ignored.
func WithMaxRequestTokens(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.maxTokens = n
		}
	}
}

// WithConcurrency sets how many requests one Embed call may have in flight
// when its input is split into several (default 1: one after the other).
// n < 1 is ignored.
func WithConcurrency(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.concurrency = n
		}
	}
}

// WithBase64Embeddings asks for vectors as base64-encoded float32s
// (encoding_format "base64") instead of JSON numbers: about half the bytes
// on the wire and cheaper to decode (BenchmarkEmbed10k). OpenAI and vLLM
// support it; some OpenAI-compatible servers do not, so it is off by
// default.
func WithBase64Embeddings(on bool) Option {
	return func(c *config) { c.base64Embeds = on }
}

package ollamatest

import (
	"time"

	"github.com/ollama/ollama/api"
)

// DefaultChunkSize is the number of characters (runes) per streamed chunk
// unless [WithChunkSize] or [Reply.WithChunkSize] says otherwise.
const DefaultChunkSize = 4

// DefaultEmbedDim is the length of the default embedding vectors unless
// [WithEmbedDim] says otherwise.
const DefaultEmbedDim = 8

// DefaultVersion is what GET /api/version reports unless [WithVersion] says
// otherwise: the version of the api client the project pins.
const DefaultVersion = "0.17.4"

// Option configures a [Server].
type Option func(*config)

type config struct {
	models     []string
	shows      map[string]api.ShowResponse
	chunkSize  int
	chunkDelay time.Duration
	embedDim   int
	embedder   func(model, input string) []float32
	def        func(Request) Reply
	version    string
}

// WithModels sets the installed models. A chat, generate, embed or show
// request for any other model gets Ollama's 404. Names match as Ollama
// matches them: case-insensitively, with ":latest" implied when no tag is
// given. Without this option every model name is accepted and GET /api/tags
// lists nothing.
func WithModels(names ...string) Option {
	return func(c *config) { c.models = append(c.models, names...) }
}

// WithShow sets the response of POST /api/show for one model (capabilities,
// details, model_info, ...). The model is also installed, as by
// [WithModels]. Without it the server makes up a small response.
func WithShow(model string, resp api.ShowResponse) Option {
	return func(c *config) {
		if c.shows == nil {
			c.shows = map[string]api.ShowResponse{}
		}
		c.shows[canonicalModel(model)] = resp
		c.models = append(c.models, model)
	}
}

// WithChunkSize sets the number of characters (runes) per streamed chunk.
// n < 1 is ignored.
func WithChunkSize(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.chunkSize = n
		}
	}
}

// WithChunkDelay waits d between streamed chunks, for tests of streaming
// consumers and timeouts.
func WithChunkDelay(d time.Duration) Option {
	return func(c *config) { c.chunkDelay = d }
}

// WithEmbedDim sets the length of the default embedding vectors. n < 1 is
// ignored.
func WithEmbedDim(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.embedDim = n
		}
	}
}

// WithEmbedder replaces the default hash-based embeddings with fn, e.g. to
// give vectors with structure for retrieval tests. The server normalises
// fn's vectors to unit length and truncates them to the request's
// "dimensions", as Ollama does; fn must be safe for concurrent use.
func WithEmbedder(fn func(model, input string) []float32) Option {
	return func(c *config) { c.embedder = fn }
}

// WithDefault sets the handler that answers chat and generate requests when
// no scripted reply is queued. Without it the server echoes the prompt:
// Text(req.Prompt()). fn runs on handler goroutines and must be safe for
// concurrent use.
func WithDefault(fn func(Request) Reply) Option {
	return func(c *config) { c.def = fn }
}

// WithVersion sets what GET /api/version reports.
func WithVersion(v string) Option {
	return func(c *config) { c.version = v }
}

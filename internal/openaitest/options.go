package openaitest

// Option configures a [Server] created by [New].
type Option func(*config)

type config struct {
	apiKey       string
	embeddingDim int
	chunkSize    int
	models       []string
	defaults     map[Endpoint]Reply
}

// Default settings of a new [Server].
const (
	// DefaultEmbeddingDim is the length of the vectors the default embeddings
	// reply returns when the request does not ask for "dimensions".
	DefaultEmbeddingDim = 16
	// DefaultChunkSize is how many characters (runes) of content or tool-call
	// arguments go into one streamed delta.
	DefaultChunkSize = 4
)

// defaultModels are the model ids GET /v1/models lists unless [WithModels]
// says otherwise.
var defaultModels = []string{"gpt-4o-mini", "gpt-4o", "text-embedding-3-small"}

func newConfig(opts []Option) config {
	c := config{
		embeddingDim: DefaultEmbeddingDim,
		chunkSize:    DefaultChunkSize,
		models:       append([]string(nil), defaultModels...),
		defaults:     map[Endpoint]Reply{},
	}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// WithAPIKey makes the server require the header "Authorization: Bearer key".
// Requests without it (or with another key) get a 401 with OpenAI's error
// body, before any scripted reply is consumed; they are still recorded.
func WithAPIKey(key string) Option {
	return func(c *config) { c.apiKey = key }
}

// WithEmbeddingDim sets the length of the vectors the default embeddings reply
// returns (a request's "dimensions" field still wins). n < 1 is ignored.
func WithEmbeddingDim(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.embeddingDim = n
		}
	}
}

// WithChunkSize sets how many characters (runes) go into one streamed delta
// for replies that do not set their own with [Reply.WithChunkSize].
// n < 1 is ignored.
func WithChunkSize(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.chunkSize = n
		}
	}
}

// WithModels sets the model ids listed by GET /v1/models.
func WithModels(ids ...string) Option {
	return func(c *config) { c.models = append([]string(nil), ids...) }
}

// WithDefault sets the reply an endpoint gives when its queue is empty
// (typically a [Func]). It is the option form of [Server.SetDefault].
func WithDefault(ep Endpoint, r Reply) Option {
	return func(c *config) { c.defaults[ep] = r }
}

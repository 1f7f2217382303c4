package geminitest

// Option configures a [Server] made by [New].
type Option func(*config)

type config struct {
	apiKey       string
	embeddingDim int
	chunkSize    int
}

// Default settings of a new [Server].
const (
	// DefaultEmbeddingDim is the length of the vectors of the default
	// embeddings reply when the request asks for no outputDimensionality.
	DefaultEmbeddingDim = 16
	// DefaultChunkSize is how many characters (runes) of text go into one
	// streamed chunk.
	DefaultChunkSize = 4
)

func newConfig(opts []Option) config {
	c := config{embeddingDim: DefaultEmbeddingDim, chunkSize: DefaultChunkSize}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// WithAPIKey makes the server require this key, in the x-goog-api-key
// header or the key query parameter, as the Gemini API does. A request
// without a key gets a 403 PERMISSION_DENIED, one with another key a 400
// INVALID_ARGUMENT (reason API_KEY_INVALID), before any scripted reply is
// used; both are recorded.
func WithAPIKey(key string) Option { return func(c *config) { c.apiKey = key } }

// WithEmbeddingDim sets the length of the default embeddings reply's
// vectors (a request's outputDimensionality still wins). n < 1 is ignored.
func WithEmbeddingDim(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.embeddingDim = n
		}
	}
}

// WithChunkSize sets how many characters (runes) go into one streamed
// chunk, for replies that set none ([Reply.WithChunkSize]). n < 1 is
// ignored.
func WithChunkSize(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.chunkSize = n
		}
	}
}

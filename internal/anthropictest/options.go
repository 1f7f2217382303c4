package anthropictest

// Option configures a [Server] created by [New].
type Option func(*config)

type config struct {
	apiKey    string
	chunkSize int
	def       *Reply
}

// DefaultChunkSize is how many characters (runes) of text or tool input go
// into one streamed delta.
const DefaultChunkSize = 4

func newConfig(opts []Option) config {
	c := config{chunkSize: DefaultChunkSize}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// WithAPIKey makes the server require the header "x-api-key: key".
// Requests without it (or with another key) get a 401 authentication_error,
// before any scripted reply is consumed; they are still recorded.
func WithAPIKey(key string) Option {
	return func(c *config) { c.apiKey = key }
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

// WithDefault sets the reply given when the queue is empty (typically a
// [Func]). It is the option form of [Server.SetDefault].
func WithDefault(r Reply) Option {
	return func(c *config) { c.def = &r }
}

package serve

import (
	"log/slog"
	"time"

	"github.com/chorus-go/chorus/chain"
)

// Option configures an Endpoint.
type Option func(*config)

type config struct {
	maxBody      int64
	timeout      time.Duration
	details      bool
	logger       *slog.Logger
	hooks        []chain.Hook
	status       func(error) int
	streamWindow time.Duration
}

// DefaultMaxBodyBytes is the largest request body an Endpoint reads unless
// WithMaxBodyBytes says otherwise: 1 MiB.
const DefaultMaxBodyBytes = 1 << 20

// DefaultStreamWriteTimeout is how long an event stream may take to write
// one event unless WithStreamWriteTimeout says otherwise.
const DefaultStreamWriteTimeout = 30 * time.Second

func newConfig(opts []Option) config {
	cfg := config{maxBody: DefaultMaxBodyBytes, logger: slog.Default(), streamWindow: DefaultStreamWriteTimeout}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	return cfg
}

// WithMaxBodyBytes sets the largest request body read; a larger one is
// refused with 413. n <= 0 keeps the default, DefaultMaxBodyBytes.
func WithMaxBodyBytes(n int64) Option {
	return func(c *config) {
		if n > 0 {
			c.maxBody = n
		}
	}
}

// WithTimeout bounds each call of the chain to d: when it passes, the
// chain's context is cancelled and the client gets 504. d <= 0 means no
// bound beyond the chain's own.
func WithTimeout(d time.Duration) Option {
	return func(c *config) { c.timeout = max(d, 0) }
}

// WithErrorDetails puts the chain's error text into the details of every
// error reply, 5xx included. Without it a 5xx says only what kind of
// failure it was, so no internal detail (a model server's address, a
// provider's message) reaches clients; the error is logged either way.
func WithErrorDetails() Option {
	return func(c *config) { c.details = true }
}

// WithLogger sets where the endpoint logs failed calls (5xx other than
// 503 and 504 at Error, other failures at Warn) and clients that went away (Debug). The default is
// slog.Default(); a nil logger discards.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l == nil {
			l = slog.New(slog.DiscardHandler)
		}
		c.logger = l
	}
}

// WithHooks runs every call under chain.WithHooks(ctx, hooks...), so
// tracing and metrics hooks see each request's nodes.
func WithHooks(hooks ...chain.Hook) Option {
	return func(c *config) { c.hooks = append(c.hooks, hooks...) }
}

// WithErrorStatus lets f choose the HTTP status of a chain's error. When
// f returns 0, or any other number outside 100-999, the default mapping,
// Status, decides.
func WithErrorStatus(f func(error) int) Option {
	return func(c *config) { c.status = f }
}

// WithStreamWriteTimeout sets how long an event stream may take to write
// and flush one event to a slow client before the stream is abandoned
// (default DefaultStreamWriteTimeout). The deadline is pushed forward
// before each event, so the stream as a whole may last any time.
func WithStreamWriteTimeout(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.streamWindow = d
		}
	}
}

package serve

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/chorus-go/chorus/chain"
)

// Option configures an Endpoint. An invalid value makes NewEndpoint fail
// with an error matching chain.ErrConfig; it is never ignored.
type Option func(*config)

type config struct {
	maxBody      int64
	timeout      time.Duration
	details      bool
	logger       *slog.Logger
	hooks        []chain.Hook
	status       func(error) int
	streamWindow time.Duration
	maxInFlight  int
	onReject     func(context.Context, Rejection)
	err          error // the first invalid option
}

// DefaultMaxBodyBytes is the largest request body an Endpoint reads unless
// WithMaxBodyBytes says otherwise: 1 MiB.
const DefaultMaxBodyBytes = 1 << 20

// DefaultStreamWriteTimeout is how long an event stream may take to write
// one event unless WithStreamWriteTimeout says otherwise.
const DefaultStreamWriteTimeout = 30 * time.Second

func newConfig(opts []Option) config {
	cfg := config{maxBody: DefaultMaxBodyBytes, logger: slog.Default(), streamWindow: DefaultStreamWriteTimeout, maxInFlight: DefaultMaxInFlight}
	for _, o := range opts {
		if o == nil {
			cfg.fail("Option", "nil option")
			continue
		}
		o(&cfg)
	}
	return cfg
}

func (c *config) fail(option, format string, args ...any) {
	if c.err == nil {
		c.err = fmt.Errorf("%s: %s", option, fmt.Sprintf(format, args...))
	}
}

// WithMaxBodyBytes sets the largest request body read; a larger one is
// refused with 413. n must be positive; the default is
// DefaultMaxBodyBytes.
func WithMaxBodyBytes(n int64) Option {
	return func(c *config) {
		if n <= 0 {
			c.fail("WithMaxBodyBytes", "size must be positive, got %d", n)
			return
		}
		c.maxBody = n
	}
}

// WithTimeout bounds each call of the chain to d: when it passes, the
// chain's context is cancelled and the client gets 504. 0, the default,
// means no bound beyond the chain's own; d must not be negative.
func WithTimeout(d time.Duration) Option {
	return func(c *config) {
		if d < 0 {
			c.fail("WithTimeout", "negative duration %v", d)
			return
		}
		c.timeout = d
	}
}

// WithErrorDetails puts the chain's error text into the details of every
// error reply, 5xx included. Without it a 5xx says only what kind of
// failure it was, so no internal detail (a model server's address, a
// provider's message) reaches clients; the error is logged either way.
func WithErrorDetails() Option {
	return func(c *config) { c.details = true }
}

// WithLogger sets where the endpoint logs failed calls (5xx other than
// 503 and 504 at Error, other failures at Warn; a panic with its stack,
// the attribute "stack") and clients that went away (Debug). The default
// is slog.Default(); a nil logger discards.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l == nil {
			l = slog.New(slog.DiscardHandler)
		}
		c.logger = l
	}
}

// WithCallHooks runs every call of the served chain with hooks, as
// chain.WithHooks(ctx, hooks...) would, so tracing and metrics hooks see
// each request's nodes. A nil hook is an error.
//
// (It is not named WithHooks: chain.WithHooks attaches hooks to a
// context, this option attaches them to every call an endpoint makes.)
func WithCallHooks(hooks ...chain.Hook) Option {
	return func(c *config) {
		for i, h := range hooks {
			if h == nil {
				c.fail("WithCallHooks", "hook %d is nil", i)
				return
			}
		}
		c.hooks = append(c.hooks, hooks...)
	}
}

// WithErrorStatus lets f choose the HTTP status of a chain's error. When
// f returns 0, or any other number outside 100-999, the default mapping,
// Status, decides. A nil f is an error.
func WithErrorStatus(f func(error) int) Option {
	return func(c *config) {
		if f == nil {
			c.fail("WithErrorStatus", "nil function")
			return
		}
		c.status = f
	}
}

// WithStreamWriteTimeout sets how long an event stream may take to write
// and flush one event to a slow client before the stream is abandoned
// (default DefaultStreamWriteTimeout). The deadline is pushed forward
// before each event, so the stream as a whole may last any time. d must
// be positive.
func WithStreamWriteTimeout(d time.Duration) Option {
	return func(c *config) {
		if d <= 0 {
			c.fail("WithStreamWriteTimeout", "duration must be positive, got %v", d)
			return
		}
		c.streamWindow = d
	}
}

// WithMaxInFlight bounds how many requests the endpoint serves at once
// (default DefaultMaxInFlight): a POST beyond it is refused at once, its
// body read and discarded (none of it kept), with 429 and Retry-After: 1; requests are not queued.
// An event stream counts until it ends. GET of /schema and /graph is not
// counted. 0 means no bound; n must not be negative.
func WithMaxInFlight(n int) Option {
	return func(c *config) {
		if n < 0 {
			c.fail("WithMaxInFlight", "negative limit %d", n)
			return
		}
		c.maxInFlight = n
	}
}

// WithOnReject calls f, after the reply, for each request WithMaxInFlight's
// limit refused, so that rejections can be counted as a metric. f must
// not be nil, and must be quick: it runs on the request's goroutine.
func WithOnReject(f func(ctx context.Context, r Rejection)) Option {
	return func(c *config) {
		if f == nil {
			c.fail("WithOnReject", "nil function")
			return
		}
		c.onReject = f
	}
}

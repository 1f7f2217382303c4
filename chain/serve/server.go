package serve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// ServerOption configures ListenAndServe and Serve. An invalid value
// makes them fail, before serving, with an error matching
// chain.ErrConfig; it is never ignored.
type ServerOption func(*serverConfig)

type serverConfig struct {
	grace             time.Duration
	readHeaderTimeout time.Duration
	readTimeout       time.Duration
	writeTimeout      time.Duration
	idleTimeout       time.Duration
	maxHeaderBytes    int
	accessLog         *slog.Logger
	onListen          func(net.Addr)
	err               error // the first invalid option
}

func (c *serverConfig) fail(option, format string, args ...any) {
	if c.err == nil {
		c.err = fmt.Errorf("%s: %s", option, fmt.Sprintf(format, args...))
	}
}

// duration sets *field to d, or records an error when d is negative.
func (c *serverConfig) duration(option string, field *time.Duration, d time.Duration) {
	if d < 0 {
		c.fail(option, "negative duration %v", d)
		return
	}
	*field = d
}

// The server's defaults, each changed by the option of the same name.
const (
	DefaultGracePeriod       = 15 * time.Second
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = time.Minute
	DefaultWriteTimeout      = 2 * time.Minute
	DefaultIdleTimeout       = 2 * time.Minute
	DefaultMaxHeaderBytes    = 64 << 10
)

// WithGracePeriod sets how long a shutdown waits for requests in flight
// before it closes their connections (default DefaultGracePeriod); 0
// closes them at once. d must not be negative, nor must the durations of
// the timeout options below.
func WithGracePeriod(d time.Duration) ServerOption {
	return func(c *serverConfig) { c.duration("WithGracePeriod", &c.grace, d) }
}

// WithReadHeaderTimeout sets http.Server.ReadHeaderTimeout (default
// DefaultReadHeaderTimeout); 0 means none.
func WithReadHeaderTimeout(d time.Duration) ServerOption {
	return func(c *serverConfig) { c.duration("WithReadHeaderTimeout", &c.readHeaderTimeout, d) }
}

// WithReadTimeout sets http.Server.ReadTimeout, the time to read a whole
// request, body included (default DefaultReadTimeout); 0 means none.
// It does not cut long calls: net/http lifts it once the body is read.
func WithReadTimeout(d time.Duration) ServerOption {
	return func(c *serverConfig) { c.duration("WithReadTimeout", &c.readTimeout, d) }
}

// WithWriteTimeout sets http.Server.WriteTimeout (default
// DefaultWriteTimeout); 0 means none. It bounds a JSON call from the end
// of its headers to the end of its reply, so keep an endpoint's
// WithTimeout below it. Event streams push it forward before each event
// and are not cut by it.
func WithWriteTimeout(d time.Duration) ServerOption {
	return func(c *serverConfig) { c.duration("WithWriteTimeout", &c.writeTimeout, d) }
}

// WithIdleTimeout sets http.Server.IdleTimeout, how long a keep-alive
// connection may wait for its next request (default DefaultIdleTimeout);
// 0 means the read timeout's.
func WithIdleTimeout(d time.Duration) ServerOption {
	return func(c *serverConfig) { c.duration("WithIdleTimeout", &c.idleTimeout, d) }
}

// WithMaxHeaderBytes sets http.Server.MaxHeaderBytes (default
// DefaultMaxHeaderBytes). n must be positive.
func WithMaxHeaderBytes(n int) ServerOption {
	return func(c *serverConfig) {
		if n <= 0 {
			c.fail("WithMaxHeaderBytes", "size must be positive, got %d", n)
			return
		}
		c.maxHeaderBytes = n
	}
}

// WithAccessLog logs every request to l (see AccessLog), and the server's
// own errors (TLS handshakes, bad requests) at Warn. A nil l logs
// nothing, as without the option.
func WithAccessLog(l *slog.Logger) ServerOption {
	return func(c *serverConfig) { c.accessLog = l }
}

// WithOnListen calls f with the address the server listens on, once it
// does: useful with a ":0" address. f must not be nil.
func WithOnListen(f func(addr net.Addr)) ServerOption {
	return func(c *serverConfig) {
		if f == nil {
			c.fail("WithOnListen", "nil function")
			return
		}
		c.onListen = f
	}
}

// newServerConfig applies opts to the defaults.
func newServerConfig(fn string, opts []ServerOption) (serverConfig, error) {
	cfg := serverConfig{
		grace:             DefaultGracePeriod,
		readHeaderTimeout: DefaultReadHeaderTimeout,
		readTimeout:       DefaultReadTimeout,
		writeTimeout:      DefaultWriteTimeout,
		idleTimeout:       DefaultIdleTimeout,
		maxHeaderBytes:    DefaultMaxHeaderBytes,
	}
	for _, o := range opts {
		if o == nil {
			cfg.fail("ServerOption", "nil option")
			continue
		}
		o(&cfg)
	}
	if cfg.err != nil {
		return cfg, &configError{fn, cfg.err}
	}
	return cfg, nil
}

// ListenAndServe listens on the TCP address addr and calls Serve. An
// invalid option or a nil h fails, with an error matching
// chain.ErrConfig, before it listens.
func ListenAndServe(ctx context.Context, addr string, h http.Handler, opts ...ServerOption) error {
	if _, err := newServerConfig("ListenAndServe", opts); err != nil {
		return err
	}
	if h == nil {
		return &configError{"ListenAndServe", errors.New("nil handler")}
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return Serve(ctx, ln, h, opts...)
}

// Serve serves h on ln until ctx ends, then shuts down gracefully: it
// stops listening, lets requests in flight finish for up to the grace
// period, then closes the connections left. It returns nil after a
// graceful shutdown, an error if the grace period ran out or serving
// failed, and an error matching chain.ErrConfig, at once, for an invalid
// option or a nil h. Serve closes ln.
//
// Requests' contexts carry ctx's values but not its cancellation, so a
// shutdown does not cancel the calls it waits for.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, opts ...ServerOption) error {
	cfg, err := newServerConfig("Serve", opts)
	if err == nil && h == nil {
		err = &configError{"Serve", errors.New("nil handler")}
	}
	if err != nil {
		_ = ln.Close()
		return err
	}
	if cfg.accessLog != nil {
		h = AccessLog(cfg.accessLog, h)
	}
	base := context.WithoutCancel(ctx)
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: cfg.readHeaderTimeout,
		ReadTimeout:       cfg.readTimeout,
		WriteTimeout:      cfg.writeTimeout,
		IdleTimeout:       cfg.idleTimeout,
		MaxHeaderBytes:    cfg.maxHeaderBytes,
		BaseContext:       func(net.Listener) context.Context { return base },
	}
	if cfg.accessLog != nil {
		srv.ErrorLog = slog.NewLogLogger(cfg.accessLog.Handler(), slog.LevelWarn)
	}
	if cfg.onListen != nil {
		cfg.onListen(ln.Addr())
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	if cfg.grace == 0 {
		// No grace period: closing the connections at once is what was
		// asked for, not a failed shutdown.
		_ = srv.Close()
	} else {
		sctx, cancel := context.WithTimeout(base, cfg.grace)
		defer cancel()
		if err = srv.Shutdown(sctx); err != nil {
			_ = srv.Close()
			err = fmt.Errorf("serve: shutdown: %w", err)
		}
	}
	if serr := <-served; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = fmt.Errorf("serve: %w", serr)
	}
	return err
}

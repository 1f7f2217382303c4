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

// ServerOption configures ListenAndServe and Serve.
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
// before it closes their connections (default DefaultGracePeriod).
func WithGracePeriod(d time.Duration) ServerOption {
	return func(c *serverConfig) { c.grace = max(d, 0) }
}

// WithReadHeaderTimeout sets http.Server.ReadHeaderTimeout (default
// DefaultReadHeaderTimeout); 0 means none.
func WithReadHeaderTimeout(d time.Duration) ServerOption {
	return func(c *serverConfig) { c.readHeaderTimeout = max(d, 0) }
}

// WithReadTimeout sets http.Server.ReadTimeout, the time to read a whole
// request, body included (default DefaultReadTimeout); 0 means none.
// It does not cut long calls: net/http lifts it once the body is read.
func WithReadTimeout(d time.Duration) ServerOption {
	return func(c *serverConfig) { c.readTimeout = max(d, 0) }
}

// WithWriteTimeout sets http.Server.WriteTimeout (default
// DefaultWriteTimeout); 0 means none. It bounds a JSON call from the end
// of its headers to the end of its reply, so keep an endpoint's
// WithTimeout below it. Event streams push it forward before each event
// and are not cut by it.
func WithWriteTimeout(d time.Duration) ServerOption {
	return func(c *serverConfig) { c.writeTimeout = max(d, 0) }
}

// WithIdleTimeout sets http.Server.IdleTimeout, how long a keep-alive
// connection may wait for its next request (default DefaultIdleTimeout).
func WithIdleTimeout(d time.Duration) ServerOption {
	return func(c *serverConfig) { c.idleTimeout = max(d, 0) }
}

// WithMaxHeaderBytes sets http.Server.MaxHeaderBytes (default
// DefaultMaxHeaderBytes).
func WithMaxHeaderBytes(n int) ServerOption {
	return func(c *serverConfig) {
		if n > 0 {
			c.maxHeaderBytes = n
		}
	}
}

// WithAccessLog logs every request to l (see AccessLog), and the server's
// own errors (TLS handshakes, bad requests) at Warn.
func WithAccessLog(l *slog.Logger) ServerOption {
	return func(c *serverConfig) { c.accessLog = l }
}

// WithOnListen calls f with the address the server listens on, once it
// does: useful with a ":0" address.
func WithOnListen(f func(addr net.Addr)) ServerOption {
	return func(c *serverConfig) { c.onListen = f }
}

// ListenAndServe listens on the TCP address addr and calls Serve.
func ListenAndServe(ctx context.Context, addr string, h http.Handler, opts ...ServerOption) error {
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
// failed. Serve closes ln.
//
// Requests' contexts carry ctx's values but not its cancellation, so a
// shutdown does not cancel the calls it waits for.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, opts ...ServerOption) error {
	cfg := serverConfig{
		grace:             DefaultGracePeriod,
		readHeaderTimeout: DefaultReadHeaderTimeout,
		readTimeout:       DefaultReadTimeout,
		writeTimeout:      DefaultWriteTimeout,
		idleTimeout:       DefaultIdleTimeout,
		maxHeaderBytes:    DefaultMaxHeaderBytes,
	}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
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
	sctx, cancel := context.WithTimeout(base, cfg.grace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		_ = srv.Close()
		err = fmt.Errorf("serve: shutdown: %w", err)
	}
	if serr := <-served; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = fmt.Errorf("serve: %w", serr)
	}
	return err
}

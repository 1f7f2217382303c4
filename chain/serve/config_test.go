package serve_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/serve"
)

// TestInvalidOptionsAreErrors: every invalid option value makes the
// constructor fail with an error matching chain.ErrConfig that names the
// option; none is ignored and none panics.
func TestInvalidOptionsAreErrors(t *testing.T) {
	c := chain.Pure(upper)
	endpoint := func(opts ...serve.Option) func() error {
		return func() error { _, err := serve.NewEndpoint(c, opts...); return err }
	}
	mux := func(opts ...serve.MuxOption) func() error {
		return func() error { _, err := serve.NewMux(opts...); return err }
	}
	serveWith := func(opts ...serve.ServerOption) func() error {
		return func() error {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			err = serve.Serve(context.Background(), ln, http.NotFoundHandler(), opts...)
			_ = ln.(*net.TCPListener).SetDeadline(time.Now()) // an open listener must not block the test
			if _, aerr := ln.Accept(); !errors.Is(aerr, net.ErrClosed) {
				t.Errorf("Serve refused its options but left the listener open: Accept = %v", aerr)
			}
			return err
		}
	}
	listen := func(opts ...serve.ServerOption) func() error {
		return func() error {
			return serve.ListenAndServe(context.Background(), "127.0.0.1:0", http.NotFoundHandler(), opts...)
		}
	}
	tests := []struct {
		name, want string
		build      func() error
	}{
		{"nil chain", "nil chain", func() error { _, err := serve.NewEndpoint[Req, Resp](nil); return err }},
		{"nil endpoint option", "nil option", endpoint(nil)},
		{"zero body size", "WithMaxBodyBytes", endpoint(serve.WithMaxBodyBytes(0))},
		{"negative body size", "WithMaxBodyBytes", endpoint(serve.WithMaxBodyBytes(-1))},
		{"negative timeout", "WithTimeout", endpoint(serve.WithTimeout(-time.Second))},
		{"nil hook", "WithCallHooks", endpoint(serve.WithCallHooks(chain.HookFuncs{}, nil))},
		{"nil status function", "WithErrorStatus", endpoint(serve.WithErrorStatus(nil))},
		{"zero stream write timeout", "WithStreamWriteTimeout", endpoint(serve.WithStreamWriteTimeout(0))},
		{"nil mux option", "nil option", mux(nil)},
		{"ready check without a name", "WithReadyCheck", mux(serve.WithReadyCheck("", func(context.Context) error { return nil }))},
		{"nil ready check", "WithReadyCheck", mux(serve.WithReadyCheck("db", nil))},
		{"zero ready timeout", "WithReadyTimeout", mux(serve.WithReadyTimeout(0))},
		{"nil metrics handler", "WithMetrics", mux(serve.WithMetrics(nil))},
		{"negative grace period", "WithGracePeriod", serveWith(serve.WithGracePeriod(-1))},
		{"negative read timeout", "WithReadTimeout", serveWith(serve.WithReadTimeout(-1))},
		{"zero header size", "WithMaxHeaderBytes", serveWith(serve.WithMaxHeaderBytes(0))},
		{"nil listen callback", "WithOnListen", serveWith(serve.WithOnListen(nil))},
		{"nil server option", "nil option", serveWith(nil)},
		{"nil handler", "nil handler", func() error {
			return serve.ListenAndServe(context.Background(), "127.0.0.1:0", nil)
		}},
		{"ListenAndServe checks before listening", "WithWriteTimeout", listen(serve.WithWriteTimeout(-1))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.build()
			if !errors.Is(err, chain.ErrConfig) || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "serve.") {
				t.Fatalf("err = %v, want a serve.* error matching chain.ErrConfig that says %q", err, tt.want)
			}
			t.Log(err)
		})
	}
}

// TestBuildCatchesServeConfigErrors: the Must forms and Mount panic with
// errors chain.Build turns back into errors.
func TestBuildCatchesServeConfigErrors(t *testing.T) {
	if _, err := chain.Build(func() *serve.Endpoint {
		return serve.MustEndpoint(chain.Pure(func(v any) string { return "" }))
	}); !errors.Is(err, chain.ErrConfig) {
		t.Errorf("MustEndpoint: %v", err)
	}
	if _, err := chain.Build(func() *serve.Mux { return serve.MustMux(serve.WithReadyTimeout(-1)) }); !errors.Is(err, chain.ErrConfig) {
		t.Errorf("MustMux: %v", err)
	}
	m := serve.MustMux()
	e := serve.MustEndpoint(chain.Pure(upper), quiet)
	m.Mount("/a", e)
	if _, err := chain.Build(func() *serve.Mux { m.Mount("/a", e); return m }); !errors.Is(err, chain.ErrConfig) || !strings.Contains(err.Error(), "/a") {
		t.Errorf("Mount on a path taken: %v", err)
	}
	if _, err := chain.Build(func() *serve.Mux { m.Mount("/b", nil); return m }); !errors.Is(err, chain.ErrConfig) {
		t.Errorf("Mount of a nil endpoint: %v", err)
	}
}

// TestZeroMeansNone: the values documented as "none" are accepted.
func TestZeroMeansNone(t *testing.T) {
	if _, err := serve.NewEndpoint(chain.Pure(upper), serve.WithTimeout(0), serve.WithLogger(nil)); err != nil {
		t.Error(err)
	}
	url, stop, done := startServer(t, http.NotFoundHandler(), serve.WithGracePeriod(0), serve.WithReadTimeout(0),
		serve.WithWriteTimeout(0), serve.WithIdleTimeout(0), serve.WithReadHeaderTimeout(0), serve.WithAccessLog(nil))
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	stop()
	if err := wait(t, done); err != nil {
		t.Errorf("Serve: %v", err)
	}
}

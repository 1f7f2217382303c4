package serve_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/serve"
)

// startServer runs Serve on 127.0.0.1:0 and returns the base URL, the
// function that stops the server and the channel Serve's result comes on.
func startServer(t *testing.T, h http.Handler, opts ...serve.ServerOption) (string, context.CancelFunc, <-chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve.Serve(ctx, ln, h, opts...) }()
	return "http://" + ln.Addr().String(), cancel, done
}

func wait(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return")
		return nil
	}
}

func TestGracefulShutdown(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	slow := chain.Fn(func(ctx context.Context, r Req) (Resp, error) {
		close(started)
		select {
		case <-release:
			return upper(r), nil
		case <-ctx.Done():
			return Resp{}, ctx.Err()
		}
	})
	mux := serve.MustMux()
	mux.Mount("/slow", mustHandler(t, slow))
	url, stop, done := startServer(t, mux)
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()

	type result struct {
		r   reply
		err error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := client.Post(url+"/slow", "application/json", strings.NewReader(`{"text":"in flight"}`))
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- result{r: reply{status: resp.StatusCode, body: string(b)}, err: err}
	}()
	<-started
	stop() // shut down while the call is in flight

	// New connections are refused soon after.
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", strings.TrimPrefix(url, "http://"), time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the server still accepts connections")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case err := <-done:
		t.Fatalf("Serve returned before the call finished: %v", err)
	default:
	}
	close(release)
	res := <-got
	if res.err != nil || res.r.status != 200 || strings.TrimSpace(res.r.body) != `{"text":"IN FLIGHT"}` {
		t.Errorf("in-flight call: %+v", res)
	}
	if err := wait(t, done); err != nil {
		t.Errorf("Serve: %v", err)
	}
}

func TestShutdownGraceRunsOut(t *testing.T) {
	started, stopped := make(chan struct{}), make(chan error, 1)
	stuck := chain.Fn(func(ctx context.Context, r Req) (Resp, error) {
		close(started)
		<-ctx.Done()
		stopped <- ctx.Err()
		return Resp{}, ctx.Err()
	})
	url, stop, done := startServer(t, mustHandler(t, stuck), serve.WithGracePeriod(100*time.Millisecond))
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	errc := make(chan error, 1)
	go func() {
		resp, err := client.Post(url, "application/json", strings.NewReader(`{"text":"a"}`))
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	<-started
	stop()
	if err := wait(t, done); err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Serve: %v, want the grace period's deadline", err)
	}
	if err := <-errc; err == nil {
		t.Error("the client got an answer from a closed connection")
	}
	if err := <-stopped; !errors.Is(err, context.Canceled) {
		t.Errorf("the call's ctx: %v", err)
	}
}

func TestReadTimeoutDoesNotCutLongCalls(t *testing.T) {
	slow := chain.Fn(func(ctx context.Context, r Req) (Resp, error) {
		select {
		case <-time.After(300 * time.Millisecond):
			return upper(r), nil
		case <-ctx.Done():
			return Resp{}, ctx.Err()
		}
	})
	url, stop, done := startServer(t, mustHandler(t, slow), serve.WithReadTimeout(100*time.Millisecond))
	defer func() { stop(); wait(t, done) }()
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	r := do(t, client, "POST", url, "application/json", `{"text":"a"}`)
	if r.status != 200 || strings.TrimSpace(r.body) != `{"text":"A"}` {
		t.Errorf("got %d %q", r.status, r.body)
	}
}

func TestListenAndServe(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	addrc := make(chan net.Addr, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	mux := serve.MustMux()
	mux.Mount("/upper", mustHandler(t, chain.Pure(upper)))
	go func() {
		done <- serve.ListenAndServe(ctx, "127.0.0.1:0", mux,
			serve.WithAccessLog(logger),
			serve.WithOnListen(func(a net.Addr) { addrc <- a }),
			serve.WithReadHeaderTimeout(time.Second), serve.WithWriteTimeout(5*time.Second),
			serve.WithIdleTimeout(time.Second), serve.WithMaxHeaderBytes(8<<10))
	}()
	addr := <-addrc
	client := &http.Client{Transport: &http.Transport{}}
	r := do(t, client, "POST", "http://"+addr.String()+"/upper", "application/json", `{"text":"a"}`)
	if r.status != 200 {
		t.Errorf("got %d %s", r.status, r.body)
	}
	// Headers over the limit are refused.
	r = do(t, client, "GET", "http://"+addr.String()+"/healthz", "", "", "X-Big", strings.Repeat("x", 16<<10))
	if r.status != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("big headers: %d", r.status)
	}
	client.CloseIdleConnections()
	cancel()
	if err := wait(t, done); err != nil {
		t.Errorf("ListenAndServe: %v", err)
	}
	if !strings.Contains(logs.String(), "path=/upper status=200") {
		t.Errorf("access log:\n%s", logs.String())
	}

	if err := serve.ListenAndServe(context.Background(), "127.0.0.1:-1", mux); err == nil {
		t.Error("bad address: no error")
	}
}

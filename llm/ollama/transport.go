package ollama

import (
	"context"
	"net/http"
	"time"

	"github.com/chorus-go/chorus/llm"
)

// exchange is what the transport learns about one call's HTTP response that
// the api client does not report: the status and the Retry-After of an
// error response. It is written by the goroutine running the api call and
// read by it after the call returns.
type exchange struct {
	status     int
	retryAfter time.Duration
}

type exchangeKey struct{}

// withExchange returns a context under which the adapter's transport
// records the response in x.
func withExchange(ctx context.Context, x *exchange) context.Context {
	return context.WithValue(ctx, exchangeKey{}, x)
}

// transport wraps an http.RoundTripper to record the status and Retry-After
// of responses into the call's exchange. It changes nothing on the wire.
// It adds WithHeader's headers to the requests sent to the server's host.
type transport struct {
	base   http.RoundTripper
	header http.Header
	host   string
}

// RoundTrip sends the request through the wrapped transport and records the
// response's status.
func (t transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if len(t.header) > 0 && req.URL.Host == t.host {
		req = req.Clone(req.Context())
		for k, vs := range t.header {
			req.Header[k] = vs
		}
	}
	resp, err := t.base.RoundTrip(req)
	if resp != nil {
		if x, ok := req.Context().Value(exchangeKey{}).(*exchange); ok {
			x.status = resp.StatusCode
			if resp.StatusCode >= http.StatusBadRequest {
				x.retryAfter = llm.RetryAfterHeader(resp.Header, time.Now())
			}
		}
	}
	return resp, err
}

// CloseIdleConnections closes the wrapped transport's idle connections, so
// that http.Client.CloseIdleConnections reaches it.
func (t transport) CloseIdleConnections() {
	if c, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// doerTransport sends each request through a Doer that is not an
// *http.Client.
type doerTransport struct{ d Doer }

func (t doerTransport) RoundTrip(req *http.Request) (*http.Response, error) { return t.d.Do(req) }

// newHTTPClient returns the HTTP client the adapter uses: a copy of an
// *http.Client with its transport wrapped; a client sending through any
// other Doer, which follows redirects itself; or, when d is nil, a client
// of its own with a private connection pool (a clone of
// http.DefaultTransport keeping more idle connections per host, since
// every request goes to one server) and no overall timeout.
func newHTTPClient(d Doer, header http.Header, host string) *http.Client {
	if d != nil {
		hc, ok := d.(*http.Client)
		if !ok {
			return &http.Client{
				Transport:     transport{base: doerTransport{d}, header: header, host: host},
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			}
		}
		c := *hc
		base := c.Transport
		if base == nil {
			base = http.DefaultTransport
		}
		c.Transport = transport{base: base, header: header, host: host}
		return &c
	}
	var base http.RoundTripper
	if dt, ok := http.DefaultTransport.(*http.Transport); ok {
		t := dt.Clone()
		t.MaxIdleConnsPerHost = 32
		base = t
	} else {
		base = &http.Transport{Proxy: http.ProxyFromEnvironment, MaxIdleConnsPerHost: 32, IdleConnTimeout: 90 * time.Second}
	}
	return &http.Client{Transport: transport{base: base, header: header, host: host}}
}

package oip

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Doer sends HTTP requests: an *http.Client, or any client with the same
// Do method (one that signs requests or goes through a proxy).
type Doer interface {
	Do(req *http.Request) (*http.Response, error)
}

// Option configures New. An invalid value makes New fail.
type Option func(*config)

type config struct {
	version    string
	hc         Doer
	header     http.Header
	noValidate bool
	err        error
}

// WithVersion asks for one version of the model
// (/v2/models/{name}/versions/{version}/...). Without it the server picks
// one.
func WithVersion(v string) Option {
	return func(c *config) { c.version = v }
}

// WithHTTPClient sets the client that sends the requests (default: a
// plain *http.Client; calls are bounded by their context, not by a client
// timeout). A nil client makes New fail.
func WithHTTPClient(d Doer) Option {
	return func(c *config) {
		if hc, ok := d.(*http.Client); d == nil || ok && hc == nil {
			c.fail(errors.New("WithHTTPClient: nil client"))
			return
		}
		c.hc = d
	}
}

// WithHeader adds a header to every request, such as Authorization for a
// KServe endpoint behind an authenticating gateway. Header values never
// appear in errors. A key that is not an HTTP header name, or a value with
// a line break or a NUL, makes New fail.
func WithHeader(key, value string) Option {
	return func(c *config) {
		if !validHeaderName(key) {
			c.fail(fmt.Errorf("WithHeader: %q is not a valid header name", key))
			return
		}
		if strings.ContainsAny(value, "\r\n\x00") {
			c.fail(fmt.Errorf("WithHeader: the value of %q holds a line break or a NUL", key))
			return
		}
		if c.header == nil {
			c.header = http.Header{}
		}
		c.header.Add(key, value)
	}
}

// WithoutValidation sends inputs without checking them against the
// model's metadata first (each tensor is still checked with Validate), for
// servers whose metadata is missing or not to be trusted. The server then
// refuses what does not fit, with an HTTP 400.
func WithoutValidation() Option {
	return func(c *config) { c.noValidate = true }
}

// fail records the first invalid option.
func (c *config) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

// validHeaderName reports whether key is an HTTP header name: a non-empty
// token of RFC 9110.
func validHeaderName(key string) bool {
	if key == "" {
		return false
	}
	for _, r := range key {
		if r >= 0x80 || r <= ' ' || strings.ContainsRune("\"(),/:;<=>?@[\\]{}", r) || r == 0x7f {
			return false
		}
	}
	return true
}

package customadapter

import "net/http"

// Option configures New.
type Option func(*Model)

// WithHTTPClient sets the client that sends the requests (default: a
// plain *http.Client, calls bounded by their context).
func WithHTTPClient(c *http.Client) Option {
	return func(m *Model) {
		if c != nil {
			m.hc = c
		}
	}
}

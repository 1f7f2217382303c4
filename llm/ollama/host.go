package ollama

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
)

// DefaultHost is the server used when neither WithHost nor OLLAMA_HOST says
// otherwise: Ollama's own default.
const DefaultHost = "http://127.0.0.1:11434"

// hostFromEnv returns the server named by OLLAMA_HOST, or DefaultHost.
func hostFromEnv() (*url.URL, error) {
	u, err := parseHost(os.Getenv("OLLAMA_HOST"))
	if err != nil {
		return nil, fmt.Errorf("OLLAMA_HOST: %w", err)
	}
	return u, nil
}

// parseHost reads a host the way the ollama CLI reads OLLAMA_HOST
// (envconfig.Host in v0.17.4): surrounding spaces and quotes are dropped, the
// scheme defaults to http and the port to 11434 (80 for http://, 443 for
// https://), a bare IP or name keeps its default port, and a path after the
// host is kept as a prefix. Unlike the CLI, which falls back to the default
// port with a warning, an invalid port or a scheme other than http and
// https is an error.
func parseHost(s string) (*url.URL, error) {
	s = strings.Trim(strings.TrimSpace(s), "\"'")
	defaultPort := "11434"
	scheme, hostport, ok := strings.Cut(s, "://")
	switch {
	case !ok:
		scheme, hostport = "http", s
		if s == "ollama.com" {
			scheme, hostport = "https", "ollama.com:443"
		}
	case scheme == "http":
		defaultPort = "80"
	case scheme == "https":
		defaultPort = "443"
	default:
		return nil, fmt.Errorf("host %q: scheme must be http or https", s)
	}
	hostport, path, _ := strings.Cut(hostport, "/")
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		host, port = "127.0.0.1", defaultPort
		if ip := net.ParseIP(strings.Trim(hostport, "[]")); ip != nil {
			host = ip.String()
		} else if hostport != "" {
			host = hostport
		}
	}
	if host == "" {
		host = "127.0.0.1"
	}
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || n == 0 {
		return nil, fmt.Errorf("host %q: invalid port %q", s, port)
	}
	return &url.URL{Scheme: scheme, Host: net.JoinHostPort(host, port), Path: path}, nil
}

// Package providerstest fronts the module's wire-level test servers for
// the providers that have none of their own: Azure OpenAI, whose data
// plane is OpenAI's protocol on other paths, with another key header.
// Import it only from tests.
package providerstest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/chorus-go/chorus/internal/openaitest"
)

// Azure is an in-process Azure OpenAI endpoint in front of an
// openaitest.Server: it answers
//
//	POST /openai/deployments/{deployment}/chat/completions?api-version=...
//	POST /openai/deployments/{deployment}/embeddings?api-version=...
//
// when the api-key header is the key, forwarding them to the server's
// /v1/chat/completions and /v1/embeddings; anything else gets Azure's
// error bodies (401 without the key, 400 without api-version, 404
// DeploymentNotFound for another path).
type Azure struct {
	*httptest.Server
	mu          sync.Mutex
	deployments []string
}

// NewAzure starts the endpoint in front of s, which must accept
// upstreamKey as its bearer key (openaitest.WithAPIKey); t.Cleanup
// closes it. Point the adapter at it with AZURE_OPENAI_ENDPOINT=URL and
// AZURE_OPENAI_API_KEY=key.
func NewAzure(t testing.TB, s *openaitest.Server, key, upstreamKey string) *Azure {
	up, err := url.Parse(s.URL())
	if err != nil {
		t.Fatalf("providerstest: openaitest URL: %v", err)
	}
	a := &Azure{}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(up)
			r.Out.Header.Del("Api-Key")
			r.Out.Header.Set("Authorization", "Bearer "+upstreamKey)
		},
		Transport: s.HTTPClient().Transport,
	}
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fail := func(status int, code, msg string) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"error":{"code":%q,"message":%q}}`, code, msg)
		}
		if r.Header.Get("Api-Key") != key {
			fail(http.StatusUnauthorized, "401", "Access denied due to invalid subscription key or wrong API endpoint.")
			return
		}
		if r.URL.Query().Get("api-version") == "" {
			fail(http.StatusBadRequest, "BadRequest", "Missing API version.")
			return
		}
		rest, ok := strings.CutPrefix(r.URL.Path, "/openai/deployments/")
		dep, op, _ := strings.Cut(rest, "/")
		if !ok || dep == "" || (op != "chat/completions" && op != "embeddings") {
			fail(http.StatusNotFound, "DeploymentNotFound", "The API deployment for this resource does not exist.")
			return
		}
		a.mu.Lock()
		a.deployments = append(a.deployments, dep)
		a.mu.Unlock()
		r.URL.Path = "/" + op // joined to the upstream's /v1
		r.URL.RawQuery = ""
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(a.Close)
	return a
}

// Deployments returns the deployments requests were sent to, in order.
func (a *Azure) Deployments() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.deployments...)
}

package gemini_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/internal/geminitest"
	"github.com/chorus-go/chorus/llm/gemini"
)

// TestMain checks for leaked goroutines. The one goroutine ignored is
// started by an init function of go.opencensus.io, which the SDK's auth
// dependency imports: it lives as long as the process, whatever the test.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("go.opencensus.io/stats/view.(*worker).start"))
}

// testKey is the key of the tests; no error or log may show it.
const testKey = "AIzaSy-test-4f9c2e7a1b3d5f60-SECRET"

// newServer starts a test server that wants testKey.
func newServer(t testing.TB, opts ...geminitest.Option) *geminitest.Server {
	t.Helper()
	return geminitest.New(t, append([]geminitest.Option{geminitest.WithAPIKey(testKey)}, opts...)...)
}

// newModel returns a model of s with the test key and no retries, so that
// a scripted failure is the call's error.
func newModel(t testing.TB, s *geminitest.Server, opts ...gemini.Option) *gemini.Model {
	t.Helper()
	base := []gemini.Option{gemini.WithAPIKey(testKey), gemini.WithBaseURL(s.URL()), gemini.WithHTTPClient(s.HTTPClient()), gemini.WithMaxRetries(0)}
	m, err := gemini.New("gemini-2.5-flash", append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// newEmbedder returns an embedder of s, like newModel.
func newEmbedder(t testing.TB, s *geminitest.Server, opts ...gemini.EmbedOption) *gemini.Embedder {
	t.Helper()
	base := []gemini.EmbedOption{gemini.WithAPIKey(testKey), gemini.WithBaseURL(s.URL()), gemini.WithHTTPClient(s.HTTPClient()), gemini.WithMaxRetries(0)}
	e, err := gemini.NewEmbedder("gemini-embedding-001", append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

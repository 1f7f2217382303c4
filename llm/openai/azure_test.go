package openai_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/redact/redacttest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/openai"
)

const azureKey = "azure-key-0123456789abcdef"

// azureServer answers like Azure OpenAI's data plane and records what it
// was sent; with echo it answers 401 echoing the credentials.
type azureServer struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []*http.Request
	echo bool
}

func newAzureServer(t *testing.T) *azureServer {
	a := &azureServer{}
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		a.reqs = append(a.reqs, r.Clone(context.Background()))
		echo := a.echo
		a.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if echo {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"error":{"code":"401","message":"Access denied for key %s and %s"}}`, r.Header.Get("Api-Key"), r.Header.Get("Authorization"))
			return
		}
		switch r.URL.Path {
		case "/openai/deployments/my-gpt4o/chat/completions":
			fmt.Fprint(w, `{"id":"c1","object":"chat.completion","model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"hi from azure"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":3,"total_tokens":6}}`)
		case "/openai/deployments/text-embedding-3-small/embeddings":
			fmt.Fprint(w, `{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2]}],"model":"text-embedding-3-small","usage":{"prompt_tokens":1,"total_tokens":1}}`)
		default:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist."}}`)
		}
	}))
	t.Cleanup(a.Close)
	return a
}

func (a *azureServer) last(t *testing.T) *http.Request {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.reqs) == 0 {
		t.Fatal("no request")
	}
	return a.reqs[len(a.reqs)-1]
}

// TestAzureKey: the real go-openai client sends the Azure path with the
// deployment the model maps to, the api-version and the api-key header,
// and no Authorization.
func TestAzureKey(t *testing.T) {
	a := newAzureServer(t)
	m, err := openai.New("gpt-4o", openai.WithAzure(a.URL, "2024-10-21"), openai.WithAPIKey(azureKey),
		openai.WithAzureDeployment(func(model string) string { return map[string]string{"gpt-4o": "my-gpt4o"}[model] }),
		openai.WithHTTPClient(a.Client()), openai.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := m.Chat(context.Background(), llm.Request{Messages: []llm.Message{llm.User("hi")}})
	if err != nil || resp.Text() != "hi from azure" {
		t.Fatalf("resp %q, err %v", resp.Text(), err)
	}
	r := a.last(t)
	if r.URL.Path != "/openai/deployments/my-gpt4o/chat/completions" || r.URL.Query().Get("api-version") != "2024-10-21" ||
		r.Header.Get("Api-Key") != azureKey || r.Header.Get("Authorization") != "" {
		t.Errorf("request %s?%s api-key %q authorization %q", r.URL.Path, r.URL.RawQuery, r.Header.Get("Api-Key"), r.Header.Get("Authorization"))
	}
	if chain.Describe(m).Detail == "" {
		t.Error("Describe does not name the Azure host")
	}
}

// TestAzureEnvironment: endpoint, key and version from the environment;
// embeddings go to the model's deployment; OPENAI_API_KEY is not used.
func TestAzureEnvironment(t *testing.T) {
	a := newAzureServer(t)
	t.Setenv(openai.EnvAzureEndpoint, a.URL)
	t.Setenv(openai.EnvAzureAPIKey, azureKey)
	t.Setenv(openai.EnvAzureAPIVersion, "2025-01-01-preview")
	t.Setenv(openai.EnvAPIKey, "sk-not-this-one-0123456789")
	e, err := openai.NewEmbedder("text-embedding-3-small", openai.WithAzure("", ""), openai.WithHTTPClient(a.Client()), openai.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Embed(context.Background(), []string{"a"}); err != nil {
		t.Fatal(err)
	}
	r := a.last(t)
	if r.URL.Path != "/openai/deployments/text-embedding-3-small/embeddings" || r.URL.Query().Get("api-version") != "2025-01-01-preview" || r.Header.Get("Api-Key") != azureKey {
		t.Errorf("request %s?%s api-key %q", r.URL.Path, r.URL.RawQuery, r.Header.Get("Api-Key"))
	}
	t.Setenv(openai.EnvAzureAPIKey, "")
	if _, err := openai.New("gpt-4o", openai.WithAzure("", "")); !errors.Is(err, openai.ErrNoAPIKey) || !errors.Is(err, chain.ErrConfig) {
		t.Errorf("no key: %v", err)
	}
	t.Setenv(openai.EnvAzureEndpoint, "")
	if _, err := openai.New("gpt-4o", openai.WithAzure("", ""), openai.WithAPIKey(azureKey)); !errors.Is(err, chain.ErrConfig) {
		t.Errorf("no endpoint: %v", err)
	}
}

// TestAzureToken: with an Entra ID token source every request carries
// "Authorization: Bearer <token>" and no api-key; a server echoing the
// credentials shows them in no error or log.
func TestAzureToken(t *testing.T) {
	a := newAzureServer(t)
	var calls int
	tokens := func(ctx context.Context) (string, error) {
		calls++
		return fmt.Sprintf("entra-token-%04d-abcdefgh", calls), nil
	}
	log := redacttest.NewLog()
	m, err := openai.New("my-gpt4o", openai.WithAzure(a.URL, ""), openai.WithAzureToken(tokens),
		openai.WithHTTPClient(a.Client()), openai.WithMaxRetries(0), openai.WithLogger(log.Logger))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Chat(context.Background(), llm.Request{Messages: []llm.Message{llm.User("hi")}}); err != nil {
		t.Fatal(err)
	}
	r := a.last(t)
	if r.Header.Get("Authorization") != "Bearer entra-token-0001-abcdefgh" || r.Header.Get("Api-Key") != "" ||
		r.URL.Query().Get("api-version") != openai.DefaultAzureAPIVersion {
		t.Errorf("authorization %q api-key %q query %q", r.Header.Get("Authorization"), r.Header.Get("Api-Key"), r.URL.RawQuery)
	}
	a.mu.Lock()
	a.echo = true
	a.mu.Unlock()
	_, err = m.Chat(context.Background(), llm.Request{Messages: []llm.Message{llm.User("hi")}})
	if !errors.Is(err, llm.ErrAuth) {
		t.Fatalf("err = %v", err)
	}
	redacttest.NoSecret(t, "entra-token-0002-abcdefgh", "the error", redacttest.ErrorTexts(err)...)
	redacttest.NoSecret(t, "entra-token-0002-abcdefgh", "the log", log.String())

	failing := func(context.Context) (string, error) { return "", errors.New("no credential") }
	m2, err := openai.New("my-gpt4o", openai.WithAzure(a.URL, ""), openai.WithAzureToken(failing), openai.WithHTTPClient(a.Client()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m2.Chat(context.Background(), llm.Request{Messages: []llm.Message{llm.User("hi")}}); err == nil || chain.IsRetryable(err) {
		t.Errorf("a failing token source: %v", err)
	}
}

// TestAzureKeyRedacted: a server echoing the api-key shows it nowhere.
func TestAzureKeyRedacted(t *testing.T) {
	a := newAzureServer(t)
	a.echo = true
	m, err := openai.New("gpt-4o", openai.WithAzure(a.URL, ""), openai.WithAPIKey(azureKey), openai.WithHTTPClient(a.Client()), openai.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Chat(context.Background(), llm.Request{Messages: []llm.Message{llm.User("hi")}})
	if !errors.Is(err, llm.ErrAuth) {
		t.Fatalf("err = %v", err)
	}
	redacttest.NoSecret(t, azureKey, "the error", redacttest.ErrorTexts(err)...)
}

// TestAzureOptionsNeedAzure: the Azure-only options without WithAzure
// make New fail.
func TestAzureOptionsNeedAzure(t *testing.T) {
	_, err := openai.New("gpt-4o", openai.WithAPIKey(azureKey), openai.WithAzureDeployment(func(m string) string { return m }))
	if !errors.Is(err, chain.ErrConfig) {
		t.Errorf("err = %v", err)
	}
	if _, err := openai.New("gpt-4o", openai.WithAzure("https://x.openai.azure.com", ""), openai.WithAzureToken(nil)); !errors.Is(err, chain.ErrConfig) {
		t.Errorf("nil token func: %v", err)
	}
}

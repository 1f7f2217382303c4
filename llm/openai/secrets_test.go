package openai_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/internal/redact/redacttest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/openai"
)

// hostileKey holds characters that URLs escape, so that its escaped forms
// are looked for too.
const hostileKey = "sk-proj+Hostile/9f3a2b1c7d5e"

// echoHeaders sets response headers that echo the key.
func echoHeaders(h http.Header, key string) {
	h.Set("X-Request-Id", key)
	h.Set("Openai-Organization", key)
	h.Set("Www-Authenticate", "Bearer error="+key)
	h.Set("Set-Cookie", "session="+key)
}

// hostileError is an OpenAI error body with the key in every field.
func hostileError(key string) []byte {
	b, _ := json.Marshal(map[string]any{"error": map[string]any{
		"message": "Incorrect API key provided: " + key, "type": key, "param": key, "code": key,
		"innererror": map[string]any{"code": key},
	}})
	return b
}

// hostileReplies are the ways an OpenAI-compatible server can echo the
// key: an error status with the key in every field and header, a plain
// text error, an error event inside a stream, and a redirect whose
// Location carries the key in its user information and query.
func hostileReplies(key string) map[string]openaitest.Reply {
	return map[string]openaitest.Reply{
		"json error": openaitest.Handler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			echoHeaders(w.Header(), key)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write(hostileError(key))
		})),
		"text error": openaitest.Handler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			echoHeaders(w.Header(), key)
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = fmt.Fprintf(w, "upstream refused key %s\n", key)
		})),
		"server error": openaitest.Handler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			echoHeaders(w.Header(), key)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write(hostileError(key))
		})),
		"stream error event": openaitest.Handler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			echoHeaders(w.Header(), key)
			w.Header().Set("Content-Type", "text/event-stream")
			w.WriteHeader(http.StatusOK)
			_, _ = fmt.Fprintf(w, "event: error\ndata: %s\n\n", hostileError(key))
		})),
		"redirect": openaitest.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			echoHeaders(w.Header(), key)
			loc := "http://" + url.PathEscape(key) + ":" + url.PathEscape(key) + "@127.0.0.1:1" + r.URL.Path + "?api_key=" + url.QueryEscape(key)
			w.Header().Set("Location", loc)
			w.WriteHeader(http.StatusTemporaryRedirect)
		})),
	}
}

// TestSecretsNeverShown: a server that echoes the API key everywhere it
// can; the key is in no error text, no wrapped error, no hook event and
// no log record, for chat, streams and embeddings; the errors still match
// errors.As *llm.Error.
func TestSecretsNeverShown(t *testing.T) {
	for name, reply := range hostileReplies(hostileKey) {
		t.Run(name, func(t *testing.T) {
			s := openaitest.New(t)
			log := redacttest.NewLog()
			m := newModelWithKey(t, s, hostileKey, openai.WithLogger(log.Logger))
			e, err := openai.NewEmbedder("text-embedding-3-small", openai.WithAPIKey(hostileKey), openai.WithBaseURL(s.URL()),
				openai.WithHTTPClient(s.HTTPClient()), openai.WithMaxRetries(0), openai.WithLogger(log.Logger))
			if err != nil {
				t.Fatal(err)
			}
			var hooks redacttest.Hooks
			ctx := hooks.Context(ctxTimeout(t, 10*time.Second))
			var errs []error

			s.EnqueueChat(reply, reply)
			ask := chain.Named("ask", chain.Retry(llm.ChatChain(m), chain.Attempts(2),
				chain.RetryIf(func(error) bool { return true }), chain.RetryClock(&fakeClock{})))
			_, err = ask.Run(ctx, user("hi"))
			errs = append(errs, err)

			s.EnqueueChat(reply)
			for _, err := range llm.Stream(ctx, m, user("hi")) {
				if err != nil {
					errs = append(errs, err)
				}
			}

			s.EnqueueEmbeddings(reply)
			_, err = llm.Embed(ctx, e, []string{"a"})
			errs = append(errs, err)

			for i, err := range errs {
				if err == nil {
					t.Fatalf("call %d succeeded", i)
				}
				var le *llm.Error
				if !errors.As(err, &le) {
					t.Errorf("call %d: %v is not an *llm.Error", i, err)
				}
				redacttest.NoSecret(t, hostileKey, fmt.Sprintf("error of call %d", i), redacttest.ErrorTexts(err)...)
			}
			if hooks.Len() == 0 {
				t.Error("no hook saw an error")
			}
			redacttest.NoSecret(t, hostileKey, "a hook event", hooks.Texts()...)
			if log.String() == "" {
				t.Error("nothing was logged")
			}
			redacttest.NoSecret(t, hostileKey, "the log", log.String())
		})
	}
}

// TestSecretsKeepErrorTypes: the scrubbed errors keep what callers test:
// the status sentinel, *llm.Error's fields and go-openai's *APIError with
// its code.
func TestSecretsKeepErrorTypes(t *testing.T) {
	s := openaitest.New(t)
	m := newModelWithKey(t, s, hostileKey)
	s.EnqueueChat(hostileReplies(hostileKey)["json error"])
	_, err := m.Chat(ctxTimeout(t, 10*time.Second), user("hi"))
	if !errors.Is(err, llm.ErrAuth) {
		t.Fatalf("err = %v, want llm.ErrAuth", err)
	}
	var le *llm.Error
	if !errors.As(err, &le) || le.StatusCode != http.StatusUnauthorized || le.Code != llm.Redacted {
		t.Errorf("*llm.Error = %+v, want status 401 and code %q", le, llm.Redacted)
	}
	var ae *goopenai.APIError
	if !errors.As(err, &ae) || ae.Type != llm.Redacted || ae.Param == nil || *ae.Param != llm.Redacted {
		t.Errorf("*openai.APIError = %+v, want type and param redacted", ae)
	}

	s.EnqueueChat(hostileReplies(hostileKey)["redirect"])
	_, err = m.Chat(ctxTimeout(t, 10*time.Second), user("hi"))
	var ue *url.Error
	if !errors.As(err, &ue) || !strings.Contains(ue.URL, "api_key="+llm.Redacted) {
		t.Errorf("err = %v, want a *url.Error with the key redacted from its URL", err)
	}
	if !errors.As(err, &le) || !le.Temporary {
		t.Errorf("err = %v, want a temporary *llm.Error", err)
	}
}

func newModelWithKey(t testing.TB, s *openaitest.Server, key string, opts ...openai.Option) *openai.Model {
	t.Helper()
	base := []openai.Option{openai.WithAPIKey(key), openai.WithBaseURL(s.URL()), openai.WithHTTPClient(s.HTTPClient()), openai.WithMaxRetries(0)}
	m, err := openai.New("gpt-4o-mini", append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

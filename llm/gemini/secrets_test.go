package gemini_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/geminitest"
	"github.com/chorus-go/chorus/internal/redact/redacttest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/gemini"
)

// hostileKey holds characters that URLs escape, so that its escaped forms
// are looked for too.
const hostileKey = "AIzaSy+Hostile/9f3a2b1c7d5e"

// echoHeaders sets response headers that echo the key.
func echoHeaders(h http.Header, key string) {
	h.Set("X-Goog-Api-Key", key)
	h.Set("X-Request-Id", key)
	h.Set("Www-Authenticate", "Bearer error="+key)
	h.Set("Set-Cookie", "session="+key)
}

// hostileError is a Google error body with the key in its message,
// status and details.
func hostileError(code int, key string) []byte {
	b, _ := json.Marshal(map[string]any{"error": map[string]any{
		"code": code, "message": "API key not valid: " + key, "status": key,
		"details": []map[string]any{
			{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID", "metadata": map[string]any{"key": key}},
			{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "1s"},
		},
	}})
	return b
}

// hostileReplies are the ways a server can echo the key: an error status
// with the key in message, status, details and headers, a plain-text
// error, an error event inside a stream, a redirect carrying the key.
func hostileReplies(key string) map[string]geminitest.Reply {
	jsonError := func(code int) geminitest.Reply {
		return geminitest.Handler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			echoHeaders(w.Header(), key)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(code)
			_, _ = w.Write(hostileError(code, key))
		}))
	}
	return map[string]geminitest.Reply{
		"400 json error": jsonError(http.StatusBadRequest),
		"503 json error": jsonError(http.StatusServiceUnavailable),
		"text error": geminitest.Handler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			echoHeaders(w.Header(), key)
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = fmt.Fprintf(w, "upstream refused key %s\n", key)
		})),
		"stream error event": geminitest.Handler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			echoHeaders(w.Header(), key)
			w.Header().Set("Content-Type", "text/event-stream")
			w.WriteHeader(http.StatusOK)
			_, _ = fmt.Fprintf(w, "data: %s\r\n\r\n", hostileError(500, key))
		})),
		"garbled stream": geminitest.Handler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			w.WriteHeader(http.StatusOK)
			_, _ = fmt.Fprintf(w, "data: {\"candidates\": %s\r\n\r\n", key)
		})),
		"redirect": geminitest.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			echoHeaders(w.Header(), key)
			loc := "http://" + url.PathEscape(key) + ":" + url.PathEscape(key) + "@127.0.0.1:1" + r.URL.Path + "?key=" + url.QueryEscape(key)
			w.Header().Set("Location", loc)
			w.WriteHeader(http.StatusTemporaryRedirect)
		})),
	}
}

// TestSecretsNeverShown: a server that echoes the key everywhere it can;
// the key is in no error text (Error(), %+v, wrapped errors), no hook
// event and no log record, for chat, streams and embeddings; the errors
// are still *llm.Error values.
func TestSecretsNeverShown(t *testing.T) {
	for name, reply := range hostileReplies(hostileKey) {
		t.Run(name, func(t *testing.T) {
			s := geminitest.New(t)
			log := redacttest.NewLog()
			m, err := gemini.New("gemini-2.5-flash", gemini.WithAPIKey(hostileKey), gemini.WithBaseURL(s.URL()),
				gemini.WithHTTPClient(s.HTTPClient()), gemini.WithMaxRetries(0), gemini.WithLogger(log.Logger))
			if err != nil {
				t.Fatal(err)
			}
			e, err := gemini.NewEmbedder("gemini-embedding-001", gemini.WithAPIKey(hostileKey), gemini.WithBaseURL(s.URL()),
				gemini.WithHTTPClient(s.HTTPClient()), gemini.WithMaxRetries(0), gemini.WithLogger(log.Logger))
			if err != nil {
				t.Fatal(err)
			}
			var hooks redacttest.Hooks
			ctx := hooks.Context(ctxTimeout(t, 10*time.Second))
			var errs []error

			s.EnqueueChat(reply, reply)
			ask := chain.Named("ask", chain.Retry(llm.ChatChain(m), chain.Attempts(2),
				chain.RetryIf(func(error) bool { return true }), chain.RetryClock(fakeClock{})))
			_, err = ask.Run(ctx, user("hi"))
			errs = append(errs, err)

			s.EnqueueChat(reply)
			for _, err := range llm.Stream(ctx, m, user("hi")) {
				if err != nil {
					errs = append(errs, err)
				}
			}

			s.EnqueueEmbed(reply)
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
				texts := append(redacttest.ErrorTexts(err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", le))
				redacttest.NoSecret(t, hostileKey, fmt.Sprintf("error of call %d", i), texts...)
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

// TestConfigErrorsHideKey: a bad base URL's error does not show the key.
func TestConfigErrorsHideKey(t *testing.T) {
	_, err := gemini.New("gemini-2.5-flash", gemini.WithAPIKey(hostileKey), gemini.WithBaseURL("ftp://x/"+hostileKey))
	if !errors.Is(err, chain.ErrConfig) {
		t.Fatalf("err = %v", err)
	}
	redacttest.NoSecret(t, hostileKey, "the config error", redacttest.ErrorTexts(err)...)
}

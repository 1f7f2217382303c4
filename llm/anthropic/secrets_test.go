package anthropic_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/anthropictest"
	"github.com/chorus-go/chorus/internal/redact/redacttest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/anthropic"
)

// hostileKey holds characters that URLs escape, so that its escaped forms
// are looked for too.
const hostileKey = "sk-ant-api03+Hostile/9f3a2b1c7d5e"

// echoHeaders sets response headers that echo the key.
func echoHeaders(h http.Header, key string) {
	h.Set("Request-Id", key)
	h.Set("Anthropic-Organization-Id", key)
	h.Set("Www-Authenticate", "x-api-key error="+key)
	h.Set("Set-Cookie", "session="+key)
}

// hostileError is Anthropic's error body with the key in every field.
func hostileError(key string) []byte {
	b, _ := json.Marshal(map[string]any{"type": "error", "request_id": key,
		"error": map[string]any{"type": key, "message": "invalid x-api-key: " + key}})
	return b
}

// hostileReplies are the ways a server (or a proxy) can echo the key: an
// error status with the key in the body's message and type and in the
// headers, a plain text error, an `event: error` inside a stream, and a
// redirect whose Location carries the key in its user information and
// query.
func hostileReplies(key string) map[string]anthropictest.Reply {
	handler := func(f func(w http.ResponseWriter, r *http.Request)) anthropictest.Reply {
		return anthropictest.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			echoHeaders(w.Header(), key)
			f(w, r)
		}))
	}
	return map[string]anthropictest.Reply{
		"json error": handler(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write(hostileError(key))
		}),
		"overloaded": handler(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(529)
			_, _ = w.Write(hostileError(key))
		}),
		"text error": handler(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = fmt.Fprintf(w, "upstream refused key %s\n", key)
		}),
		"stream error event": handler(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			w.WriteHeader(http.StatusOK)
			_, _ = fmt.Fprintf(w, "event: error\ndata: %s\n\n", hostileError(key))
		}),
		"redirect": handler(func(w http.ResponseWriter, r *http.Request) {
			loc := "http://" + url.PathEscape(key) + ":" + url.PathEscape(key) + "@127.0.0.1:1" + r.URL.Path + "?api_key=" + url.QueryEscape(key)
			w.Header().Set("Location", loc)
			w.WriteHeader(http.StatusTemporaryRedirect)
		}),
	}
}

// TestSecretsNeverShown: a server that echoes the API key everywhere it
// can; the key is in no error text (nor %+v, nor any wrapped error), no
// hook event and no log record, for chat and streams; the errors still
// match errors.As *llm.Error.
func TestSecretsNeverShown(t *testing.T) {
	for name, reply := range hostileReplies(hostileKey) {
		t.Run(name, func(t *testing.T) {
			s := anthropictest.New(t)
			log := redacttest.NewLog()
			m, err := anthropic.New(modelName, anthropic.WithAPIKey(hostileKey), anthropic.WithBaseURL(s.URL()),
				anthropic.WithHTTPClient(s.HTTPClient()), anthropic.WithMaxRetries(1), fast, anthropic.WithLogger(log.Logger))
			if err != nil {
				t.Fatal(err)
			}
			var hooks redacttest.Hooks
			ctx := hooks.Context(ctxTimeout(t, 20*time.Second))
			var errs []error

			s.Enqueue(reply, reply, reply, reply)
			ask := chain.Named("ask", chain.Retry(llm.ChatChain(m), chain.Attempts(2),
				chain.RetryIf(func(error) bool { return true }), chain.RetryClock(&fakeClock{})))
			_, err = ask.Run(ctx, user("hi"))
			errs = append(errs, err)

			s.Enqueue(reply, reply)
			for _, err := range llm.Stream(ctx, m, user("hi")) {
				if err != nil {
					errs = append(errs, err)
				}
			}
			for i, err := range errs {
				if err == nil {
					t.Fatalf("call %d succeeded", i)
				}
				var le *llm.Error
				if !errors.As(err, &le) {
					t.Errorf("call %d: %v is not an *llm.Error", i, err)
				}
				texts := append(redacttest.ErrorTexts(err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", le))
				if le != nil && le.Err != nil {
					texts = append(texts, fmt.Sprintf("%+v", le.Err))
				}
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

// TestSecretsScrubbedFromSDKError: the SDK's *anthropic.Error that
// errors.As finds holds the key nowhere: not in its body, its request's
// headers or its response's headers.
func TestSecretsScrubbedFromSDKError(t *testing.T) {
	s := anthropictest.New(t)
	m, err := anthropic.New(modelName, anthropic.WithAPIKey(hostileKey), anthropic.WithBaseURL(s.URL()),
		anthropic.WithHTTPClient(s.HTTPClient()), anthropic.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	s.Enqueue(hostileReplies(hostileKey)["json error"])
	_, err = m.Chat(ctxTimeout(t, 10*time.Second), user("hi"))
	if !errors.Is(err, llm.ErrAuth) {
		t.Fatalf("err = %v, want llm.ErrAuth", err)
	}
	var ae *sdk.Error
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusUnauthorized {
		t.Fatalf("errors.As *anthropic.Error: %v", err)
	}
	if ae.Request == nil || ae.Request.Header.Get("X-Api-Key") != llm.Redacted {
		t.Errorf("the request's x-api-key is not redacted: %v", ae.Request)
	}
	redacttest.NoSecret(t, hostileKey, "the SDK error", ae.Error(), ae.RawJSON(), ae.Message, string(ae.Type()),
		fmt.Sprint(ae.Request.Header), fmt.Sprint(ae.Response.Header), string(ae.DumpRequest(false)), string(ae.DumpResponse(false)))
}

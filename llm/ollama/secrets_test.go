package ollama_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/ollamatest"
	"github.com/chorus-go/chorus/internal/redact/redacttest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/ollama"
)

// hostileKey holds characters that URLs escape, so that its escaped forms
// are looked for too.
const hostileKey = "olm-proxy+Hostile/7c1e9a3b5d"

// echo adds response headers that echo the key.
func echo(r ollamatest.Reply, key string) ollamatest.Reply {
	return r.WithHeader("X-Request-Id", key).WithHeader("Www-Authenticate", "Bearer "+key).WithHeader("Set-Cookie", "s="+key)
}

// hostileOllama are the ways a server (or the proxy in front of it) can
// echo the key the adapter sends: an error body with the key in every
// field, an unauthorized answer with a sign-in URL, a plain-text error, an
// error line inside a stream and a redirect whose Location carries the
// key in its user information and query.
func hostileOllama(key string) map[string]ollamatest.Reply {
	fields := fmt.Sprintf(`{"error":%q,"code":%q,"type":%q,"param":%q}`, "bad key "+key, key, key, key)
	return map[string]ollamatest.Reply{
		"json error":   echo(ollamatest.Raw(http.StatusBadRequest, "application/json", fields), key),
		"server error": echo(ollamatest.Error(http.StatusServiceUnavailable, "busy, key "+key), key),
		"unauthorized": echo(ollamatest.Raw(http.StatusUnauthorized, "application/json",
			fmt.Sprintf(`{"error":%q,"signin_url":%q}`, key, "https://ollama.example/connect?key="+url.QueryEscape(key))), key),
		"text error":        echo(ollamatest.Raw(http.StatusBadGateway, "text/plain", "proxy refused "+key), key),
		"stream error line": echo(ollamatest.StreamError("partial", "runner failed: "+key), key),
		"redirect": echo(ollamatest.Raw(http.StatusTemporaryRedirect, "", "").WithHeader("Location",
			"http://"+url.PathEscape(key)+":"+url.PathEscape(key)+"@127.0.0.1:1/api/chat?key="+url.QueryEscape(key)), key),
	}
}

// TestSecretsNeverShown: a server that echoes the Authorization value the
// adapter sends (WithHeader) everywhere it can; the key is in no error
// text, no wrapped error, no hook event and no log record, for chat,
// streams and embeddings.
func TestSecretsNeverShown(t *testing.T) {
	for name, reply := range hostileOllama(hostileKey) {
		t.Run(name, func(t *testing.T) {
			s := ollamatest.New(t)
			log := redacttest.NewLog()
			auth := ollama.WithHeader("Authorization", "Bearer "+hostileKey)
			m := newModel(t, s, "llama3.2", auth, ollama.WithLogger(log.Logger))
			e := newEmbedder(t, s, "all-minilm", auth, ollama.WithLogger(log.Logger))
			var hooks redacttest.Hooks
			ctx := hooks.Context(testContext(t))
			var errs []error

			s.Enqueue(reply, reply)
			askChain := chain.Named("ask", chain.Retry(llm.ChatChain(m), chain.Attempts(2),
				chain.RetryIf(func(error) bool { return true }), chain.Backoff(time.Millisecond, time.Millisecond)))
			_, err := askChain.Run(ctx, ask("hi"))
			errs = append(errs, err)

			s.Enqueue(reply)
			for _, err := range llm.Stream(ctx, m, ask("hi")) {
				if err != nil {
					errs = append(errs, err)
				}
			}

			if name == "stream error line" { // the embed endpoint does not stream
				reply = echo(ollamatest.Error(http.StatusInternalServerError, "runner failed: "+hostileKey), hostileKey)
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
				redacttest.NoSecret(t, hostileKey, fmt.Sprintf("error of call %d", i), redacttest.ErrorTexts(err)...)
			}
			if hooks.Len() == 0 {
				t.Error("no hook saw an error")
			}
			redacttest.NoSecret(t, hostileKey, "a hook event", hooks.Texts()...)
			redacttest.NoSecret(t, hostileKey, "the log", log.String())
		})
	}
}

// TestSecretsNotLogged: what the adapter logs of a server's answer (here
// a tool call without an ID, named with the key) is scrubbed too.
func TestSecretsNotLogged(t *testing.T) {
	s := ollamatest.New(t)
	log := redacttest.NewLog()
	m := newModel(t, s, "llama3.2", ollama.WithHeader("Authorization", "Bearer "+hostileKey), ollama.WithLogger(log.Logger))
	s.Enqueue(ollamatest.Raw(http.StatusOK, "application/x-ndjson", fmt.Sprintf(
		`{"model":"llama3.2","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":%q,"arguments":{"q":%q}}}]},"done":true,"done_reason":"stop"}`+"\n",
		hostileKey, hostileKey)))
	req := ask("hi")
	req.Tools = []llm.Tool{{Name: "search", Description: "search"}}
	if _, err := m.Chat(testContext(t), req); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "made up") {
		t.Fatalf("log = %q, want the made-up tool call ID logged", log.String())
	}
	redacttest.NoSecret(t, hostileKey, "the log", log.String())
}

// TestWithHeader: the header goes with every request to the server; a
// bad name or value, or WithClient, makes the constructors fail.
func TestWithHeader(t *testing.T) {
	s := ollamatest.New(t)
	m := newModel(t, s, "llama3.2", ollama.WithHeader("Authorization", "Bearer "+hostileKey))
	if _, err := m.Chat(testContext(t), ask("hi")); err != nil {
		t.Fatal(err)
	}
	reqs := s.Requests()
	if len(reqs) == 0 || reqs[len(reqs)-1].Header.Get("Authorization") != "Bearer "+hostileKey {
		t.Fatalf("requests = %+v, want the Authorization header", reqs)
	}
	for _, opts := range [][]ollama.Option{
		{ollama.WithHeader("Bad Name", "x")},
		{ollama.WithHeader("X-Key", "a\nb")},
		{ollama.WithHeader("X-Key", "secret-value"), ollama.WithClient(s.Client())},
	} {
		if _, err := ollama.New("llama3.2", opts...); !errors.Is(err, chain.ErrConfig) {
			t.Errorf("New = %v, want chain.ErrConfig", err)
		}
		if _, err := ollama.New("llama3.2", opts...); err != nil && strings.Contains(err.Error(), "secret-value") {
			t.Errorf("New = %v shows the header value", err)
		}
	}
}

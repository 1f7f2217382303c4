package openai_test

import (
	"context"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/serve"
	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/internal/redact/redacttest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/openai"
)

type question struct {
	Question string `json:"question"`
}

// answerChain asks the model and streams its answer.
type answerChain struct{ m llm.ChatModel }

func (c answerChain) Run(ctx context.Context, q question) (string, error) {
	resp, err := llm.Chat(ctx, c.m, user(q.Question))
	return resp.Message.Text(), err
}

func (c answerChain) StreamText(ctx context.Context, q question) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for ch, err := range llm.Stream(ctx, c.m, user(q.Question)) {
			if err != nil {
				yield("", err)
				return
			}
			if ch.Text != "" && !yield(ch.Text, nil) {
				return
			}
		}
	}
}

// TestSecretsNotServed: the adapter behind chain/serve, with
// WithErrorDetails, WithLogger and an access log; a server that echoes
// the key in every field: neither the replies (JSON errors, an error
// event inside a stream) nor the logs show it.
func TestSecretsNotServed(t *testing.T) {
	replies := hostileReplies(hostileKey)
	replies["error event after a chunk"] = openaitest.Handler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		echoHeaders(w.Header(), hostileKey)
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = fmt.Fprint(w, `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"}}]}`+"\n\n")
		_, _ = fmt.Fprintf(w, "data: %s\n\n", hostileError(hostileKey))
	}))
	for name, reply := range replies {
		t.Run(name, func(t *testing.T) {
			s := openaitest.New(t)
			log := redacttest.NewLog()
			m := newModelWithKey(t, s, hostileKey, openai.WithLogger(log.Logger))
			e, err := openai.NewEmbedder("text-embedding-3-small", openai.WithAPIKey(hostileKey), openai.WithBaseURL(s.URL()),
				openai.WithHTTPClient(s.HTTPClient()), openai.WithMaxRetries(0), openai.WithLogger(log.Logger))
			if err != nil {
				t.Fatal(err)
			}
			opts := []serve.Option{serve.WithErrorDetails(), serve.WithLogger(log.Logger)}
			chat, err := serve.NewEndpoint(chain.Named("answer", chain.Chain[question, string](answerChain{m})), opts...)
			if err != nil {
				t.Fatal(err)
			}
			embed, err := serve.NewEndpoint(chain.Fn(func(ctx context.Context, q question) ([][]float32, error) {
				return llm.Embed(ctx, e, []string{q.Question})
			}), opts...)
			if err != nil {
				t.Fatal(err)
			}
			mux := http.NewServeMux()
			mux.Handle("/chat", chat)
			mux.Handle("/embed", embed)
			srv := httptest.NewServer(serve.AccessLog(log.Logger, mux))
			t.Cleanup(srv.Close)
			hc := srv.Client()
			t.Cleanup(hc.CloseIdleConnections)

			var bodies []string
			post := func(path, accept string) {
				req, err := http.NewRequestWithContext(ctxTimeout(t, 10*time.Second), http.MethodPost, srv.URL+path, strings.NewReader(`{"question":"hi"}`))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("Content-Type", "application/json")
				if accept != "" {
					req.Header.Set("Accept", accept)
				}
				resp, err := hc.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, err := io.ReadAll(resp.Body)
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(string(b), "error") {
					t.Errorf("%s %s: %d %s, want an error", path, accept, resp.StatusCode, b)
				}
				bodies = append(bodies, string(b))
				for k, vs := range resp.Header {
					bodies = append(bodies, k+": "+strings.Join(vs, ", "))
				}
			}
			s.EnqueueChat(reply, reply)
			post("/chat", "")
			post("/chat", "text/event-stream")
			s.EnqueueEmbeddings(reply)
			post("/embed", "")

			if !strings.Contains(log.String(), "serve: chain failed") {
				t.Errorf("log = %s, want the failures logged", log.String())
			}
			redacttest.NoSecret(t, hostileKey, "a reply", bodies...)
			redacttest.NoSecret(t, hostileKey, "the log", log.String())
		})
	}
}

package ollama_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/ollamatest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/ollama"
)

// modelError asserts that err is an *llm.Error of the ollama provider.
func modelError(t *testing.T, err error) *llm.Error {
	t.Helper()
	var e *llm.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %#v (%v), want an *llm.Error", err, err)
	}
	if e.Provider != "ollama" {
		t.Errorf("Provider = %q", e.Provider)
	}
	return e
}

// calls runs a request through every entry point that can fail on it.
func calls(m *ollama.Model) map[string]func(context.Context) error {
	return map[string]func(context.Context) error{
		"Chat": func(ctx context.Context) error { _, err := m.Chat(ctx, ask("x")); return err },
		"Stream": func(ctx context.Context) error {
			_, err := drain(m.Stream(ctx, ask("x")))
			return err
		},
		"Generate": func(ctx context.Context) error { _, err := m.Generate(ctx, "x"); return err },
		"GenerateStream": func(ctx context.Context) error {
			_, err := drain(m.GenerateStream(ctx, "x"))
			return err
		},
	}
}

func TestMissingModel(t *testing.T) {
	s := ollamatest.New(t, ollamatest.WithModels("llama3.2", "nomic-embed-text"))
	m := newModel(t, s, "mistral")
	want := fmt.Sprintf(`model "mistral" is not installed on the Ollama server at %s: run "ollama pull mistral"`, s.URL())
	check := func(t *testing.T, err error, model string) {
		e := modelError(t, err)
		if !errors.Is(err, llm.ErrModelNotFound) || e.StatusCode != 404 || e.Retryable() || e.Model != model {
			t.Errorf("err = %+v, want a 404 for %s, not retryable, matching ErrModelNotFound", e, model)
		}
		if w := strings.ReplaceAll(want, "mistral", model); e.Message != w {
			t.Errorf("message = %q\n want %q", e.Message, w)
		}
		if !strings.Contains(err.Error(), `run "ollama pull `+model+`"`) {
			t.Errorf("Error() = %q", err.Error())
		}
	}
	for name, call := range calls(m) {
		t.Run(name, func(t *testing.T) { check(t, call(testContext(t)), "mistral") })
	}
	t.Run("Embed", func(t *testing.T) {
		_, err := newEmbedder(t, s, "bge-m3").Embed(testContext(t), []string{"a"})
		check(t, err, "bge-m3")
	})
	t.Run("Ping", func(t *testing.T) {
		check(t, m.Ping(testContext(t)), "mistral")
		if err := newModel(t, s, "llama3.2").Ping(testContext(t)); err != nil {
			t.Errorf("Ping of an installed model: %v", err)
		}
		if err := newEmbedder(t, s, "nomic-embed-text").Ping(testContext(t)); err != nil {
			t.Errorf("Ping of an installed embedder: %v", err)
		}
	})
}

func TestStatusErrors(t *testing.T) {
	tests := []struct {
		status    int
		retryable bool
		sentinel  error
	}{
		{400, false, llm.ErrBadRequest},
		{429, true, llm.ErrRateLimited},
		{500, true, llm.ErrServer},
		{502, true, llm.ErrServer},
		{503, true, llm.ErrServer},
		{501, false, llm.ErrServer},
	}
	for _, tt := range tests {
		s := ollamatest.New(t)
		m := newModel(t, s, "m")
		for name, call := range calls(m) {
			t.Run(fmt.Sprintf("%d/%s", tt.status, name), func(t *testing.T) {
				s.Enqueue(ollamatest.Error(tt.status, "scripted failure"))
				err := call(testContext(t))
				e := modelError(t, err)
				if e.StatusCode != tt.status || e.Retryable() != tt.retryable || !errors.Is(err, tt.sentinel) || e.Message != "scripted failure" {
					t.Errorf("err = %+v; want status %d, retryable %v, %v", e, tt.status, tt.retryable, tt.sentinel)
				}
				if chain.IsRetryable(err) != tt.retryable {
					t.Errorf("chain.IsRetryable = %v", !tt.retryable)
				}
			})
		}
	}
	t.Run("Embed", func(t *testing.T) {
		s := ollamatest.New(t)
		s.EnqueueEmbed(ollamatest.Error(503, "server busy, please try again.  maximum pending requests exceeded"))
		_, err := newEmbedder(t, s, "e").Embed(testContext(t), []string{"a"})
		if e := modelError(t, err); e.StatusCode != 503 || !e.Retryable() {
			t.Errorf("err = %+v", e)
		}
	})
}

// A proxy's Retry-After reaches chain.Retry, though the api client hides
// response headers.
func TestRetryAfter(t *testing.T) {
	s := ollamatest.New(t)
	m := newModel(t, s, "m")
	for name, call := range calls(m) {
		t.Run(name, func(t *testing.T) {
			s.Enqueue(ollamatest.Error(429, "slow down").WithHeader("Retry-After", "7"))
			err := call(testContext(t))
			if d, ok := chain.RetryAfter(err); !ok || d != 7*time.Second {
				t.Errorf("RetryAfter = %v, %v; want 7s (err %v)", d, ok, err)
			}
		})
	}
}

// An error status with an empty body gives the api client nothing to read;
// the adapter's transport still knows the status.
func TestEmptyErrorBody(t *testing.T) {
	s := ollamatest.New(t)
	m := newModel(t, s, "m")
	for name, call := range calls(m) {
		t.Run(name, func(t *testing.T) {
			s.Enqueue(ollamatest.Raw(http.StatusBadGateway, "", ""))
			e := modelError(t, call(testContext(t)))
			if e.StatusCode != 502 || !e.Retryable() || errors.Is(e, llm.ErrIncompleteStream) {
				t.Errorf("err = %+v, want a retryable 502", e)
			}
		})
	}
	// With a client of the caller's own, the status is out of sight: the
	// missing done still tells.
	mc, err := ollama.New("m", ollama.WithClient(s.Client()), ollama.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	s.Enqueue(ollamatest.Raw(http.StatusBadGateway, "", ""))
	_, err = mc.Chat(testContext(t), ask("x"))
	if e := modelError(t, err); !errors.Is(err, llm.ErrIncompleteStream) || !e.Retryable() {
		t.Errorf("err = %+v, want a retryable ErrIncompleteStream", e)
	}
	if mc.Host() != "" {
		t.Errorf("Host = %q with WithClient and no WithHost", mc.Host())
	}
}

func TestErrorLineInStream(t *testing.T) {
	s := ollamatest.New(t, ollamatest.WithChunkSize(4))
	m := newModel(t, s, "m")
	s.Enqueue(ollamatest.StreamError("partial answer", "llama runner process has terminated"))
	chunks, err := drain(m.Stream(testContext(t), ask("x")))
	e := modelError(t, err)
	if e.StatusCode != 0 || !e.Retryable() || e.Message != "llama runner process has terminated" {
		t.Errorf("err = %+v, want a retryable error carrying the line's message", e)
	}
	var text string
	for _, c := range chunks {
		text += c.Text
		if c.Done {
			t.Errorf("a Done chunk came before the error")
		}
	}
	if text != "partial answer" {
		t.Errorf("text before the error = %q", text)
	}
	// Without streaming Ollama answers 500.
	s.Enqueue(ollamatest.StreamError("partial answer", "runner failed"))
	_, err = m.Chat(testContext(t), ask("x"))
	if e := modelError(t, err); e.StatusCode != 500 || !e.Retryable() {
		t.Errorf("Chat: err = %+v", e)
	}
}

func TestCutStream(t *testing.T) {
	s := ollamatest.New(t, ollamatest.WithChunkSize(2))
	m := newModel(t, s, "m")
	for name, call := range calls(m) {
		t.Run(name, func(t *testing.T) {
			s.Enqueue(ollamatest.Cut("the beginning of"))
			err := call(testContext(t))
			e := modelError(t, err)
			if !e.Retryable() || e.StatusCode != 0 {
				t.Errorf("err = %+v, want retryable, status 0", e)
			}
			// Streaming, the client returns nil and only the missing done
			// tells; without, the transport reports the cut.
			if strings.Contains(name, "Stream") && !errors.Is(err, llm.ErrIncompleteStream) {
				t.Errorf("err = %v, want ErrIncompleteStream", err)
			}
		})
	}
	// llm.Collect sees the same.
	s.Enqueue(ollamatest.Cut("abc"))
	if _, err := llm.Collect(m.Stream(testContext(t), ask("x"))); !errors.Is(err, llm.ErrIncompleteStream) {
		t.Errorf("Collect: %v", err)
	}
}

func TestStalledStreamCancel(t *testing.T) {
	s := ollamatest.New(t, ollamatest.WithChunkSize(4))
	m := newModel(t, s, "m")
	s.Enqueue(ollamatest.Stall("some words and more"))
	ctx, cancel := context.WithCancel(testContext(t))
	defer cancel()
	var (
		n        int
		err      error
		canceled time.Time
	)
	for c, e := range m.Stream(ctx, ask("x")) {
		if e != nil {
			err = e
			break
		}
		if n++; n == 2 {
			_ = c
			canceled = time.Now()
			cancel()
		}
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	var e *llm.Error
	if errors.As(err, &e) {
		t.Errorf("a cancelled call returned an *llm.Error: %v", e)
	}
	if d := time.Since(canceled); d > 2*time.Second {
		t.Errorf("the stream ended %v after the cancel", d)
	}
}

func TestHangDeadline(t *testing.T) {
	s := ollamatest.New(t)
	m := newModel(t, s, "m")
	run := func(t *testing.T, call func(context.Context) error) {
		ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := call(ctx)
		if !errors.Is(err, context.DeadlineExceeded) || chain.IsRetryable(err) {
			t.Errorf("err = %v, want context.DeadlineExceeded, not retryable", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("returned after %v", d)
		}
	}
	for name, call := range calls(m) {
		t.Run(name, func(t *testing.T) {
			s.Enqueue(ollamatest.Hang())
			run(t, call)
		})
	}
	t.Run("Embed", func(t *testing.T) {
		s.EnqueueEmbed(ollamatest.Hang())
		e := newEmbedder(t, s, "e")
		run(t, func(ctx context.Context) error { _, err := e.Embed(ctx, []string{"a"}); return err })
	})
}

// Breaking out of the loop ends the request at once; TestMain checks that
// no goroutine is left behind.
func TestStreamEarlyBreak(t *testing.T) {
	s := ollamatest.New(t, ollamatest.WithChunkSize(1), ollamatest.WithChunkDelay(5*time.Millisecond))
	m := newModel(t, s, "m")
	for i := 0; i < 10; i++ {
		s.Enqueue(ollamatest.Text(strings.Repeat("word ", 200)))
		n := 0
		for _, err := range m.Stream(testContext(t), ask("x")) {
			if err != nil {
				t.Fatal(err)
			}
			if n++; n == 3 {
				break
			}
		}
		if n != 3 {
			t.Fatalf("got %d chunks", n)
		}
	}
	// The model still answers afterwards.
	resp, err := m.Chat(testContext(t), ask("still there?"))
	if err != nil || resp.Text() != "still there?" {
		t.Errorf("Chat after breaks = %q, %v", resp.Text(), err)
	}
	// A panic in the loop body propagates and leaves nothing running.
	s.Enqueue(ollamatest.Text(strings.Repeat("word ", 200)))
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("recovered %v", r)
			}
		}()
		for range m.Stream(testContext(t), ask("x")) {
			panic("boom")
		}
	}()
}

func TestNoServer(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	m, err := ollama.New("llama3.2", ollama.WithHost(addr), ollama.WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = m.Chat(testContext(t), ask("x"))
	e := modelError(t, err)
	if !e.Retryable() || e.StatusCode != 0 || !strings.Contains(e.Message, "http://"+addr) || !strings.Contains(e.Message, "ollama serve") {
		t.Errorf("err = %+v", e)
	}
}

// A 200 whose body cannot be read or decoded (a proxy cut or garbled it)
// is a retryable *llm.Error with status 200 on every entry point, and the
// default retries then get the answer. Content that is not the JSON a
// format asked for is an answer.
func TestUnreadableBody(t *testing.T) {
	const truncated = `{"model":"m","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"hel`
	bodies := map[string]ollamatest.Reply{
		"truncated JSON": ollamatest.Raw(200, "application/x-ndjson", truncated+"\n"),
		"an HTML page":   ollamatest.Raw(200, "text/html", "<html>\n<body>restarting</body>\n</html>\n"),
		"wrong types":    ollamatest.Raw(200, "application/json", `{"model":"m","done":"yes"}`+"\n"),
	}
	for body, reply := range bodies {
		s := ollamatest.New(t)
		m := newModel(t, s, "m")
		for name, call := range calls(m) {
			t.Run(body+", "+name, func(t *testing.T) {
				s.Enqueue(reply)
				e := modelError(t, call(testContext(t)))
				if e.StatusCode != 200 || !e.Retryable() || !strings.HasPrefix(e.Message, "unreadable response body: ") {
					t.Errorf("err = %+v, want a retryable unreadable body with status 200", e)
				}
			})
		}
		t.Run(body+", default retries", func(t *testing.T) {
			s := ollamatest.New(t)
			s.Enqueue(reply, ollamatest.Text("ok"))
			if resp, err := newModel(t, s, "m", retrying...).Chat(testContext(t), ask("x")); err != nil || resp.Text() != "ok" {
				t.Fatalf("got %q, %v; want the retry's answer", resp.Text(), err)
			}
		})
	}
	t.Run("embed, truncated JSON", func(t *testing.T) {
		s := ollamatest.New(t)
		cut := ollamatest.Raw(200, "application/json", `{"model":"e","embeddings":[[1,0,`)
		s.EnqueueEmbed(cut)
		_, err := newEmbedder(t, s, "e").Embed(testContext(t), []string{"a"})
		if e := modelError(t, err); e.StatusCode != 200 || !e.Retryable() || !strings.HasPrefix(e.Message, "unreadable response body: ") {
			t.Errorf("err = %+v, want a retryable unreadable body with status 200", e)
		}
		s.EnqueueEmbed(cut)
		e := newEmbedder(t, s, "e", ollama.WithMaxRetries(ollama.DefaultMaxRetries), ollama.WithRetryBackoff(time.Millisecond, 2*time.Millisecond))
		if v, err := e.Embed(testContext(t), []string{"a"}); err != nil || len(v) != 1 {
			t.Fatalf("with the default retries: %d vectors, %v", len(v), err)
		}
	})
	t.Run("an error line is still the server's message", func(t *testing.T) {
		s := ollamatest.New(t)
		s.Enqueue(ollamatest.StreamError("partial", "model runner has unexpectedly stopped"))
		_, err := drain(newModel(t, s, "m").Stream(testContext(t), ask("x")))
		if e := modelError(t, err); e.StatusCode != 0 || !e.Retryable() || e.Message != "model runner has unexpectedly stopped" {
			t.Errorf("err = %+v", e)
		}
	})
	t.Run("malformed content is an answer", func(t *testing.T) {
		s := ollamatest.New(t)
		s.Enqueue(ollamatest.MalformedJSON(map[string]int{"a": 1}))
		resp, err := newModel(t, s, "m", retrying...).Chat(testContext(t), ask("x"))
		if err != nil || resp.Text() != `{"a":1` {
			t.Fatalf("got %q, %v; want the content as it came", resp.Text(), err)
		}
		if n := len(s.Requests()); n != 1 {
			t.Fatalf("%d requests, want 1: the body was read, nothing to retry", n)
		}
	})
}

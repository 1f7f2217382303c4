package openai_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/openai"
)

func TestHTTPErrors(t *testing.T) {
	for _, tc := range []struct {
		name      string
		reply     openaitest.Reply
		status    int
		is        error
		retryable bool
		wait      time.Duration
		code, msg string
	}{
		{"400", openaitest.BadRequest("Invalid 'messages[0].content'"), 400, llm.ErrBadRequest, false, 0, "", "Invalid 'messages[0].content'"},
		{"401", openaitest.Unauthorized(), 401, llm.ErrAuth, false, 0, "invalid_api_key", "Incorrect API key"},
		{"404", openaitest.ModelNotFound("gpt-9"), 404, llm.ErrModelNotFound, false, 0, "model_not_found", "gpt-9"},
		{"429", openaitest.RateLimited(2 * time.Second), 429, llm.ErrRateLimited, true, 2 * time.Second, "rate_limit_exceeded", "Rate limit reached"},
		{"429 seconds only", openaitest.Error(429, "requests", "rate_limit_exceeded", "slow down").WithHeader("Retry-After", "3"),
			429, llm.ErrRateLimited, true, 3 * time.Second, "rate_limit_exceeded", "slow down"},
		{"429 quota", openaitest.InsufficientQuota(), 429, llm.ErrRateLimited, false, 0, "insufficient_quota", "exceeded your current quota"},
		{"500", openaitest.ServerError(), 500, llm.ErrServer, true, 0, "", "The server had an error"},
		{"503", openaitest.Overloaded().WithHeader("Retry-After", "1"), 503, llm.ErrServer, true, time.Second, "", "overloaded"},
		{"502 HTML", openaitest.BadGateway(), 502, llm.ErrServer, true, 0, "", "502 Bad Gateway"},
		{"422 FastAPI", openaitest.RawResponse(422, "application/json", `{"detail":[{"loc":["body","model"],"msg":"field required"}]}`),
			422, llm.ErrBadRequest, false, 0, "", "field required"},
		{"400 vLLM", openaitest.RawResponse(400, "application/json", `{"object":"error","message":"max_tokens is too large","type":"BadRequestError","code":400}`),
			400, llm.ErrBadRequest, false, 0, "", "max_tokens is too large"},
		{"500 text", openaitest.RawResponse(500, "text/plain", "Internal Server Error\n"), 500, llm.ErrServer, true, 0, "", "Internal Server Error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openaitest.New(t)
			s.EnqueueChat(tc.reply, tc.reply)
			m := newModel(t, s)
			_, chatErr := m.Chat(context.Background(), user("x"))
			_, streamErr := llm.Collect(m.Stream(context.Background(), user("x")))
			for i, err := range []error{chatErr, streamErr} {
				var le *llm.Error
				if !errors.As(err, &le) {
					t.Fatalf("call %d: err = %T %v, want *llm.Error", i, err, err)
				}
				if le.Provider != "openai" || le.Model != "gpt-4o-mini" || le.StatusCode != tc.status || le.Code != tc.code ||
					le.Retryable() != tc.retryable || le.RetryAfter() != tc.wait || !strings.Contains(le.Message, tc.msg) {
					t.Errorf("call %d: error = %+v\nwant status %d, code %q, retryable %v, wait %v, message with %q",
						i, le, tc.status, tc.code, tc.retryable, tc.wait, tc.msg)
				}
				if !errors.Is(err, tc.is) {
					t.Errorf("call %d: errors.Is(%v, %v) = false", i, err, tc.is)
				}
				if chain.IsRetryable(err) != tc.retryable {
					t.Errorf("call %d: chain.IsRetryable = %v", i, !tc.retryable)
				}
			}
		})
	}
}

// TestGoOpenAIErrorsReachable: the go-openai error stays in the chain.
func TestGoOpenAIErrorsReachable(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.ServerError(), openaitest.BadGateway())
	m := newModel(t, s)
	_, err := m.Chat(context.Background(), user("x"))
	var apiErr *goopenai.APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 500 {
		t.Errorf("err = %v, want a *goopenai.APIError inside", err)
	}
	_, err = m.Chat(context.Background(), user("x"))
	var reqErr *goopenai.RequestError
	if !errors.As(err, &reqErr) || reqErr.HTTPStatusCode != 502 {
		t.Errorf("err = %v, want a *goopenai.RequestError inside", err)
	}
}

func TestHangDeadline(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.Hang())
	m := newModel(t, s)
	ctx := ctxTimeout(t, 100*time.Millisecond)
	start := time.Now()
	_, err := m.Chat(ctx, user("x"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("returned %v after the call, want promptly after the 100ms deadline", d)
	}
}

func TestCancel(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.Hang())
	m := newModel(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		_ = s.WaitForRequests(context.Background(), 1)
		cancel()
	}()
	_, err := m.Chat(ctx, user("x"))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	var le *llm.Error
	if errors.As(err, &le) || chain.IsRetryable(err) {
		t.Errorf("a cancellation is not a retryable provider error: %v", err)
	}
}

func TestNetworkErrors(t *testing.T) {
	t.Run("refused", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		tr := &http.Transport{}
		defer tr.CloseIdleConnections()
		m, err := openai.New("gpt-4o-mini", openai.WithAPIKey(testKey), openai.WithBaseURL("http://"+addr+"/v1"),
			openai.WithHTTPClient(&http.Client{Transport: tr}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = m.Chat(context.Background(), user("x"))
		checkNetworkError(t, err)
		_, err = llm.Collect(m.Stream(context.Background(), user("x")))
		checkNetworkError(t, err)
	})
	t.Run("cut body", func(t *testing.T) {
		// The status came (200), the body did not, whole: a retryable
		// unreadable body, with the status as received.
		s := openaitest.New(t)
		s.EnqueueChat(openaitest.CutStream("a complete answer, cut in the middle"))
		_, err := newModel(t, s).Chat(context.Background(), user("x"))
		var le *llm.Error
		if !errors.As(err, &le) || le.StatusCode != 200 || !le.Retryable() || !errors.Is(err, io.ErrUnexpectedEOF) ||
			!strings.Contains(err.Error(), "unreadable response body: unexpected EOF") {
			t.Errorf("err = %v, want a retryable unreadable body, status 200", err)
		}
	})
}

// A 200 whose body cannot be read or decoded (a proxy cut or garbled it)
// is a retryable *llm.Error with status 200, for chat, streams and
// embeddings; the default retries then get the answer. A body that
// decodes, with content that is not the JSON asked for, is an answer.
func TestUnreadableBody(t *testing.T) {
	const truncated = `{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assis`
	unreadable := func(t *testing.T, err error) {
		t.Helper()
		var le *llm.Error
		if !errors.As(err, &le) || le.StatusCode != 200 || !le.Retryable() || !strings.HasPrefix(le.Message, "unreadable response body: ") {
			t.Fatalf("err = %#v (%v), want a retryable unreadable body with status 200", le, err)
		}
		if strings.Contains(err.Error(), testKey) {
			t.Fatalf("the key leaked: %v", err)
		}
	}
	chat := map[string]openaitest.Reply{
		"truncated JSON": openaitest.RawResponse(200, "application/json", truncated),
		"not JSON":       openaitest.RawResponse(200, "text/html", "<html><body>Service restarting</body></html>"),
		"wrong types":    openaitest.RawResponse(200, "application/json", `{"id":"chatcmpl-1","choices":"none"}`),
	}
	for name, reply := range chat {
		t.Run("chat, "+name, func(t *testing.T) {
			s := openaitest.New(t)
			s.EnqueueChat(reply)
			_, err := newModel(t, s).Chat(context.Background(), user("x"))
			unreadable(t, err)

			s.EnqueueChat(reply, openaitest.Text("ok"))
			if resp, err := newRetrying(t, s).Chat(context.Background(), user("x")); err != nil || resp.Text() != "ok" {
				t.Fatalf("with the default retries: %q, %v", resp.Text(), err)
			}
		})
	}
	t.Run("stream, a garbled event", func(t *testing.T) {
		s := openaitest.New(t)
		garbled := openaitest.RawResponse(200, "text/event-stream", "data: "+truncated+"\n\n")
		s.EnqueueChat(garbled)
		_, err := llm.Collect(newModel(t, s).Stream(context.Background(), user("x")))
		unreadable(t, err)
		if !errors.Is(err, llm.ErrIncompleteStream) {
			t.Fatalf("err = %v, want ErrIncompleteStream too", err)
		}
		s.EnqueueChat(garbled, openaitest.Text("hello world"))
		if resp, err := llm.Collect(newRetrying(t, s).Stream(context.Background(), user("x"))); err != nil || resp.Text() != "hello world" {
			t.Fatalf("with the default retries: %q, %v", resp.Text(), err)
		}
	})
	t.Run("embeddings, truncated JSON", func(t *testing.T) {
		s := openaitest.New(t)
		cut := openaitest.RawResponse(200, "application/json", `{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,0.`)
		s.EnqueueEmbeddings(cut)
		_, err := newEmbedder(t, s).Embed(context.Background(), []string{"a"})
		unreadable(t, err)
		s.EnqueueEmbeddings(cut)
		e := newEmbedder(t, s, openai.WithMaxRetries(openai.DefaultMaxRetries), openai.WithRetryBackoff(time.Millisecond, 2*time.Millisecond))
		if v, err := e.Embed(context.Background(), []string{"a"}); err != nil || len(v) != 1 {
			t.Fatalf("with the default retries: %d vectors, %v", len(v), err)
		}
	})
	t.Run("malformed content is an answer", func(t *testing.T) {
		s := openaitest.New(t)
		s.EnqueueChat(openaitest.MalformedJSON())
		resp, err := newRetrying(t, s).Chat(context.Background(), user("x"))
		if err != nil || resp.Text() != openaitest.MalformedJSONContent {
			t.Fatalf("got %q, %v; want the content as it came", resp.Text(), err)
		}
		if n := len(s.Requests()); n != 1 {
			t.Fatalf("%d requests, want 1: the body was read, nothing to retry", n)
		}
	})
}

func checkNetworkError(t *testing.T, err error) {
	t.Helper()
	var le *llm.Error
	if !errors.As(err, &le) || le.StatusCode != 0 || !le.Retryable() {
		t.Errorf("err = %v, want a retryable *llm.Error with status 0", err)
	}
}

// TestRetryHonoursRetryAfter: chain.Retry around the model waits as long as
// the 429's Retry-After asked, then succeeds.
func TestRetryHonoursRetryAfter(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.RateLimited(2*time.Second), openaitest.Text("finally"))
	clk := &fakeClock{}
	c := chain.Retry(llm.ChatChain(newModel(t, s)), chain.RetryClock(clk), chain.Backoff(10*time.Millisecond, time.Second), chain.Jitter(0))
	resp, err := c.Run(context.Background(), user("x"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Text() != "finally" {
		t.Errorf("text = %q", resp.Text())
	}
	if w := clk.Waits(); len(w) != 1 || w[0] != 2*time.Second {
		t.Errorf("waits = %v, want [2s] from Retry-After", w)
	}
	if n := len(s.Requests()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// TestKeyNeverShown: a server that echoes the key in its error messages
// (as a careless compatible server might) does not get it into errors or
// logs.
func TestKeyNeverShown(t *testing.T) {
	echo := func(status int, contentType string) openaitest.Reply {
		return openaitest.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			auth := r.Header.Get("Authorization")
			w.Header().Set("Content-Type", contentType)
			w.WriteHeader(status)
			if contentType == "application/json" {
				fmt.Fprintf(w, `{"error":{"message":"bad key %s","type":"invalid_request_error","code":"invalid_api_key"}}`, auth)
			} else {
				fmt.Fprintf(w, "upstream refused %s\n", auth)
			}
		}))
	}
	s := openaitest.New(t)
	s.EnqueueChat(echo(401, "application/json"), echo(500, "text/plain"), echo(401, "application/json"))
	s.EnqueueEmbeddings(echo(401, "application/json"))
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	m := newModel(t, s, openai.WithLogger(logger))
	e := newEmbedder(t, s, openai.WithLogger(logger))

	var errs []error
	for range 2 {
		_, err := m.Chat(context.Background(), user("x"))
		errs = append(errs, err)
	}
	_, err := llm.Collect(m.Stream(context.Background(), user("x")))
	errs = append(errs, err)
	_, err = e.Embed(context.Background(), []string{"x"})
	errs = append(errs, err)
	for i, err := range errs {
		if err == nil {
			t.Fatalf("call %d succeeded", i)
		}
		var apiErr *goopenai.APIError
		var reqErr *goopenai.RequestError
		texts := []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)}
		if errors.As(err, &apiErr) {
			texts = append(texts, apiErr.Message, apiErr.Error())
		}
		if errors.As(err, &reqErr) {
			texts = append(texts, string(reqErr.Body), reqErr.Error())
		}
		for _, s := range texts {
			if strings.Contains(s, testKey) {
				t.Errorf("call %d: the key shows in %q", i, s)
			}
		}
		if !strings.Contains(err.Error(), "[redacted]") {
			t.Errorf("call %d: err = %v, want the key replaced by [redacted]", i, err)
		}
	}
	if logs.Len() == 0 {
		t.Fatal("nothing logged")
	}
	if strings.Contains(logs.String(), testKey) {
		t.Errorf("the key shows in the logs:\n%s", logs.String())
	}
	if r, _ := s.LastRequest(); r.Header.Get("Authorization") != "Bearer "+testKey {
		t.Errorf("the key was not sent")
	}
}

func TestLogs(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.Text("ok").WithUsage(3, 1), openaitest.RateLimited(time.Second))
	var logs bytes.Buffer
	m := newModel(t, s, openai.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	_, _ = m.Chat(context.Background(), user("x"))
	_, _ = m.Chat(context.Background(), user("x"))
	out := logs.String()
	for _, want := range []string{
		`level=DEBUG msg="openai chat"`, "input_tokens=3", "output_tokens=1", "status=200", "request_id=req_openaitest_",
		`level=WARN msg="openai chat failed"`, "status=429", "retry_after=1s",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("logs lack %q:\n%s", want, out)
		}
	}
}

// TestRetryAfterPerRequest: concurrent calls each get their own response's
// Retry-After.
func TestRetryAfterPerRequest(t *testing.T) {
	s := openaitest.New(t)
	s.SetDefault(openaitest.EndpointChat, openaitest.Func(func(r *openaitest.Request) openaitest.Reply {
		var n int
		if _, err := fmt.Sscanf(r.LastUserMessage(), "wait %d", &n); err != nil || n == 0 {
			return openaitest.Text("no wait")
		}
		return openaitest.RateLimited(time.Duration(n) * 100 * time.Millisecond)
	}))
	m := newModel(t, s)
	const calls = 40
	errs := make([]error, calls)
	var wg sync.WaitGroup
	for i := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				_, errs[i] = m.Chat(context.Background(), user(fmt.Sprintf("wait %d", i)))
			} else {
				_, errs[i] = llm.Collect(m.Stream(context.Background(), user(fmt.Sprintf("wait %d", i))))
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if i == 0 {
			if err != nil {
				t.Errorf("call 0: %v", err)
			}
			continue
		}
		want := time.Duration(i) * 100 * time.Millisecond
		if d, ok := chain.RetryAfter(err); !ok || d != want {
			t.Errorf("call %d: RetryAfter = %v, want %v (err %v)", i, d, want, err)
		}
	}
}

// TestLongErrorBodyStaysUTF8: a long plain-text error body is shortened
// at a rune boundary, never into invalid UTF-8.
func TestLongErrorBodyStaysUTF8(t *testing.T) {
	s := openaitest.New(t)
	body := strings.Repeat("€", 100) // 300 bytes; 200 falls inside a rune
	s.EnqueueChat(openaitest.RawResponse(500, "text/plain", body))
	m := newModel(t, s)
	_, err := m.Chat(context.Background(), user("x"))
	var le *llm.Error
	if !errors.As(err, &le) {
		t.Fatalf("err = %T %v, want *llm.Error", err, err)
	}
	if !utf8.ValidString(le.Message) || !strings.HasPrefix(le.Message, "€€€") || len(le.Message) >= len(body) {
		t.Errorf("message %q: want a shortened prefix of the body, valid UTF-8", le.Message)
	}
}

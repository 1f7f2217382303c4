package openaitest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"
	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/internal/openaitest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// newClient is the real go-openai client pointed at s.
func newClient(s *openaitest.Server) *openai.Client {
	return openai.NewClientWithConfig(s.ClientConfig("sk-test-key-1234"))
}

func userRequest(text string) openai.ChatCompletionRequest {
	return openai.ChatCompletionRequest{
		Model:    "gpt-4o-mini",
		Messages: []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: text}},
	}
}

// post sends a raw JSON request, for checking bytes and headers on the wire.
func post(t *testing.T, s *openaitest.Server, path, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func TestURLEndsInV1(t *testing.T) {
	s := openaitest.New(t)
	if !strings.HasSuffix(s.URL(), "/v1") {
		t.Errorf("URL() = %q, want a /v1 suffix", s.URL())
	}
}

func TestUnknownPathIsOpenAI404(t *testing.T) {
	s := openaitest.New(t)
	resp, body := post(t, s, "/nope", `{}`)
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("status = %d, want 404", resp.StatusCode)
	}
	want := `{"error":{"message":"Invalid URL (POST /v1/nope)","type":"invalid_request_error","param":null,"code":null}}`
	if string(body) != want {
		t.Errorf("body = %s, want %s", body, want)
	}
}

func TestInvalidJSONBodyIs400(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.Text("unused"))
	resp, body := post(t, s, "/chat/completions", `{"model":`)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "could not parse the JSON body") {
		t.Errorf("got %d %s", resp.StatusCode, body)
	}
	if s.Pending(openaitest.EndpointChat) != 1 {
		t.Error("a rejected request consumed a scripted reply")
	}
}

func TestAPIKey(t *testing.T) {
	s := openaitest.New(t, openaitest.WithAPIKey("sk-right-key-5678"))
	ctx := context.Background()

	good := openai.NewClientWithConfig(s.ClientConfig("sk-right-key-5678"))
	if _, err := good.CreateChatCompletion(ctx, userRequest("hi")); err != nil {
		t.Fatalf("right key: %v", err)
	}

	for _, key := range []string{"sk-wrong-key-0000", ""} {
		bad := openai.NewClientWithConfig(s.ClientConfig(key))
		_, err := bad.CreateChatCompletion(ctx, userRequest("hi"))
		var apiErr *openai.APIError
		if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != http.StatusUnauthorized ||
			apiErr.Type != "invalid_request_error" {
			t.Errorf("key %q: err = %v, want a 401 APIError", key, err)
			continue
		}
		if key != "" && apiErr.Code != "invalid_api_key" {
			t.Errorf("key %q: code = %v, want invalid_api_key", key, apiErr.Code)
		}
	}
	reqs := s.Requests()
	if len(reqs) != 3 || reqs[0].Header.Get("Authorization") != "Bearer sk-right-key-5678" {
		t.Errorf("recorded %d requests, first Authorization %q", len(reqs), reqs[0].Header.Get("Authorization"))
	}
}

func TestConcurrentRequestsEachTakeOneReply(t *testing.T) {
	s := openaitest.New(t)
	client := newClient(s)
	const n = 40
	for i := range n {
		s.EnqueueChat(openaitest.Text(fmt.Sprintf("reply %d", i)))
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		seen = map[string]bool{}
	)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := userRequest("q")
			if i%2 == 0 {
				_, _ = client.CreateEmbeddings(context.Background(), openai.EmbeddingRequestStrings{
					Input: []string{"a", "b"}, Model: openai.SmallEmbedding3,
				})
			}
			resp, err := client.CreateChatCompletion(context.Background(), req)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			seen[resp.Choices[0].Message.Content] = true
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(seen) != n {
		t.Errorf("%d distinct replies, want %d", len(seen), n)
	}
	if got := s.Pending(openaitest.EndpointChat); got != 0 {
		t.Errorf("Pending = %d", got)
	}
	if got, want := s.EmbeddingRequests(), n/2; got != want {
		t.Errorf("EmbeddingRequests = %d, want %d", got, want)
	}
	if got, want := s.EmbeddingInputs(), n; got != want {
		t.Errorf("EmbeddingInputs = %d, want %d", got, want)
	}
}

func TestHangEndsWhenClientGivesUp(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.Hang())
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := newClient(s).CreateChatCompletion(ctx, userRequest("hi"))
		errc <- err
	}()
	if err := s.WaitForRequests(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestHangEndsWhenServerCloses(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.Hang())
	errc := make(chan error, 1)
	go func() {
		_, err := newClient(s).CreateChatCompletion(context.Background(), userRequest("hi"))
		errc <- err
	}()
	if err := s.WaitForRequests(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	s.Close() // must not block on the hanging handler
	if err := <-errc; err == nil {
		t.Error("want an error from a request the server never answered")
	}
}

func TestDelay(t *testing.T) {
	s := openaitest.New(t)
	const d = 50 * time.Millisecond
	s.EnqueueChat(openaitest.Text("late").WithDelay(d), openaitest.Text("never").WithDelay(time.Hour))
	client := newClient(s)

	start := time.Now()
	resp, err := client.CreateChatCompletion(context.Background(), userRequest("hi"))
	if err != nil || resp.Choices[0].Message.Content != "late" {
		t.Fatalf("got %v, %v", resp, err)
	}
	if el := time.Since(start); el < d {
		t.Errorf("answered after %v, before the %v delay", el, d)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := client.CreateChatCompletion(ctx, userRequest("hi")); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want DeadlineExceeded", err)
	}
}

func TestFuncAndSetDefault(t *testing.T) {
	s := openaitest.New(t)
	s.SetDefault(openaitest.EndpointChat, openaitest.Func(func(r *openaitest.Request) openaitest.Reply {
		if len(r.Chat.Tools) > 0 {
			return openaitest.ToolCalls(openaitest.ToolCall{Name: r.Chat.Tools[0].Function.Name, Arguments: `{}`})
		}
		return openaitest.Text(strings.ToUpper(r.LastUserMessage()))
	}))
	client := newClient(s)
	resp, err := client.CreateChatCompletion(context.Background(), userRequest("shout"))
	if err != nil || resp.Choices[0].Message.Content != "SHOUT" {
		t.Fatalf("got %+v, %v", resp, err)
	}
	req := userRequest("call")
	req.Tools = []openai.Tool{{Type: openai.ToolTypeFunction, Function: &openai.FunctionDefinition{
		Name: "lookup", Parameters: json.RawMessage(`{"type":"object","properties":{}}`),
	}}}
	resp, err = client.CreateChatCompletion(context.Background(), req)
	if err != nil || len(resp.Choices[0].Message.ToolCalls) != 1 || resp.Choices[0].Message.ToolCalls[0].Function.Name != "lookup" {
		t.Fatalf("got %+v, %v", resp, err)
	}
}

func TestModels(t *testing.T) {
	s := openaitest.New(t, openaitest.WithModels("m-one", "m-two"))
	client := newClient(s)
	list, err := client.ListModels(context.Background())
	if err != nil || len(list.Models) != 2 || list.Models[1].ID != "m-two" || list.Models[0].Object != "model" {
		t.Fatalf("ListModels = %+v, %v", list, err)
	}
	if m, err := client.GetModel(context.Background(), "m-one"); err != nil || m.ID != "m-one" {
		t.Errorf("GetModel = %+v, %v", m, err)
	}
	_, err = client.GetModel(context.Background(), "gpt-9")
	var apiErr *openai.APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 404 || apiErr.Code != "model_not_found" {
		t.Errorf("GetModel(unknown) err = %v", err)
	}
}

// TestNoGoroutineLeftAfterClose runs a server through hangs, stalls and cuts
// in a subtest, then checks that nothing is left once its cleanup has run.
func TestNoGoroutineLeftAfterClose(t *testing.T) {
	t.Run("server", func(t *testing.T) {
		s := openaitest.New(t)
		s.EnqueueChat(openaitest.Hang(), openaitest.StallStream("abc"), openaitest.CutStream("abc"))
		client := newClient(s)
		for range 3 {
			req := userRequest("hi")
			go func() {
				stream, err := client.CreateChatCompletionStream(context.Background(), req)
				if err != nil {
					return
				}
				defer stream.Close()
				for {
					if _, err := stream.Recv(); err != nil {
						return
					}
				}
			}()
		}
		if err := s.WaitForRequests(context.Background(), 3); err != nil {
			t.Fatal(err)
		}
	})
	goleak.VerifyNone(t)
}

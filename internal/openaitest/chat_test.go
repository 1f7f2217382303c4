package openaitest_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	openai "github.com/sashabaranov/go-openai"

	"github.com/chorus-go/chorus/internal/openaitest"
)

func TestChatText(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.Text("Hello there").WithUsage(12, 3))
	resp, err := newClient(s).CreateChatCompletion(context.Background(), userRequest("hi"))
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Choices) != 1 {
		t.Fatalf("choices = %d", len(resp.Choices))
	}
	c := resp.Choices[0]
	if c.Message.Role != "assistant" || c.Message.Content != "Hello there" || c.FinishReason != openai.FinishReasonStop {
		t.Errorf("choice = %+v", c)
	}
	if resp.Usage.PromptTokens != 12 || resp.Usage.CompletionTokens != 3 || resp.Usage.TotalTokens != 15 {
		t.Errorf("usage = %+v", resp.Usage)
	}
	if resp.Object != "chat.completion" || !strings.HasPrefix(resp.ID, "chatcmpl-") || resp.Model != "gpt-4o-mini" {
		t.Errorf("envelope = %q %q %q", resp.Object, resp.ID, resp.Model)
	}
	if resp.Header().Get("x-request-id") == "" {
		t.Error("no x-request-id header")
	}

	req, ok := s.LastRequest()
	if !ok || req.Method != http.MethodPost || req.Path != "/v1/chat/completions" {
		t.Fatalf("recorded %+v", req)
	}
	if got := req.Header.Get("Authorization"); got != "Bearer sk-test-key-1234" {
		t.Errorf("Authorization = %q", got)
	}
	if req.Chat == nil || req.Chat.Model != "gpt-4o-mini" || req.LastUserMessage() != "hi" || req.Stream() {
		t.Errorf("parsed request = %+v", req.Chat)
	}
}

func TestChatEchoIsDefault(t *testing.T) {
	s := openaitest.New(t)
	resp, err := newClient(s).CreateChatCompletion(context.Background(), userRequest("say this"))
	if err != nil || resp.Choices[0].Message.Content != "say this" {
		t.Fatalf("got %+v, %v", resp, err)
	}
	if resp.Usage.TotalTokens == 0 {
		t.Error("estimated usage missing")
	}
}

func TestChatToolCalls(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.ToolCalls(
		openaitest.ToolCall{ID: "call_1", Name: "get_weather", Arguments: `{"city":"Paris"}`},
		openaitest.ToolCall{Name: "get_time", Arguments: `{"tz":"CET"}`},
	))
	resp, err := newClient(s).CreateChatCompletion(context.Background(), userRequest("weather?"))
	if err != nil {
		t.Fatal(err)
	}
	c := resp.Choices[0]
	if c.FinishReason != openai.FinishReasonToolCalls || c.Message.Content != "" || len(c.Message.ToolCalls) != 2 {
		t.Fatalf("choice = %+v", c)
	}
	tc := c.Message.ToolCalls
	if tc[0].ID != "call_1" || tc[0].Type != openai.ToolTypeFunction || tc[0].Function.Name != "get_weather" ||
		tc[0].Function.Arguments != `{"city":"Paris"}` {
		t.Errorf("call 0 = %+v", tc[0])
	}
	if tc[1].ID == "" || tc[1].Function.Name != "get_time" {
		t.Errorf("call 1 = %+v", tc[1])
	}
}

func TestChatToolCallsWireShape(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.ToolCalls(openaitest.ToolCall{ID: "call_x", Name: "f", Arguments: `{}`}))
	_, body := post(t, s, "/chat/completions", `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}]}`)
	var got struct {
		Choices []struct {
			Message      map[string]json.RawMessage `json:"message"`
			FinishReason string                     `json:"finish_reason"`
		} `json:"choices"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	m := got.Choices[0].Message
	if string(m["content"]) != "null" || string(m["refusal"]) != "null" || got.Choices[0].FinishReason != "tool_calls" {
		t.Errorf("message = %s", body)
	}
	want := `[{"id":"call_x","type":"function","function":{"name":"f","arguments":"{}"}}]`
	if string(m["tool_calls"]) != want {
		t.Errorf("tool_calls = %s, want %s", m["tool_calls"], want)
	}
}

type person struct {
	Name string `json:"name"`
	Age  int    `json:"age"`
}

func TestResponseFormatJSONSchema(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.JSON(person{Name: "Ada", Age: 36}), openaitest.MalformedJSON())
	schema := json.RawMessage(`{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"}},` +
		`"required":["name","age"],"additionalProperties":false}`)
	req := userRequest("who?")
	req.ResponseFormat = &openai.ChatCompletionResponseFormat{
		Type: openai.ChatCompletionResponseFormatTypeJSONSchema,
		JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{
			Name: "person", Schema: schema, Strict: true,
		},
	}
	client := newClient(s)
	resp, err := client.CreateChatCompletion(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var p person
	if err := json.Unmarshal([]byte(resp.Choices[0].Message.Content), &p); err != nil || p != (person{"Ada", 36}) {
		t.Errorf("content %q -> %+v, %v", resp.Choices[0].Message.Content, p, err)
	}

	rec, _ := s.LastRequest()
	rf := rec.Chat.ResponseFormat
	if rf == nil || rf.Type != openai.ChatCompletionResponseFormatTypeJSONSchema || rf.JSONSchema.Name != "person" || !rf.JSONSchema.Strict {
		t.Fatalf("recorded response_format = %+v", rf)
	}
	var raw struct {
		ResponseFormat struct {
			JSONSchema struct {
				Schema json.RawMessage `json:"schema"`
			} `json:"json_schema"`
		} `json:"response_format"`
	}
	if err := json.Unmarshal(rec.Body, &raw); err != nil {
		t.Fatal(err)
	}
	var gotSchema, wantSchema any
	_ = json.Unmarshal(raw.ResponseFormat.JSONSchema.Schema, &gotSchema)
	_ = json.Unmarshal(schema, &wantSchema)
	if d := cmp.Diff(wantSchema, gotSchema); d != "" {
		t.Errorf("schema sent (-want +got):\n%s", d)
	}

	resp, err = client.CreateChatCompletion(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if json.Valid([]byte(resp.Choices[0].Message.Content)) {
		t.Errorf("MalformedJSON content is valid JSON: %q", resp.Choices[0].Message.Content)
	}
}

func TestRefusal(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.Refusal("I can't help with that."))
	resp, err := newClient(s).CreateChatCompletion(context.Background(), userRequest("x"))
	if err != nil || resp.Choices[0].Message.Refusal != "I can't help with that." || resp.Choices[0].Message.Content != "" {
		t.Errorf("got %+v, %v", resp, err)
	}
}

func TestCutNonStreaming(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.CutStream("partial answer"))
	_, err := newClient(s).CreateChatCompletion(context.Background(), userRequest("x"))
	if err == nil {
		t.Fatal("want an error for a cut response")
	}
}

func TestErrorReplies(t *testing.T) {
	tests := []struct {
		name     string
		reply    openaitest.Reply
		status   int
		errType  string
		code     any
		contains string
	}{
		{"400", openaitest.BadRequest("Invalid 'messages'.").WithParam("messages"), 400, "invalid_request_error", nil, "Invalid"},
		{"401", openaitest.Unauthorized(), 401, "invalid_request_error", "invalid_api_key", "Incorrect API key"},
		{"404 model", openaitest.ModelNotFound("gpt-9"), 404, "invalid_request_error", "model_not_found", "gpt-9"},
		{"429", openaitest.RateLimited(0), 429, "requests", "rate_limit_exceeded", "Rate limit"},
		{"429 quota", openaitest.InsufficientQuota(), 429, "insufficient_quota", "insufficient_quota", "quota"},
		{"500", openaitest.ServerError(), 500, "server_error", nil, "server had an error"},
		{"503", openaitest.Overloaded(), 503, "server_error", nil, "overloaded"},
		{"418 custom", openaitest.Error(418, "teapot_error", "short", "I'm a teapot"), 418, "teapot_error", "short", "teapot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openaitest.New(t)
			s.EnqueueChat(tt.reply)
			_, err := newClient(s).CreateChatCompletion(context.Background(), userRequest("x"))
			var apiErr *openai.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %T %v, want *openai.APIError", err, err)
			}
			code := apiErr.Code
			if code == 0 { // go-openai decodes "code": null as the int 0
				code = nil
			}
			if apiErr.HTTPStatusCode != tt.status || apiErr.Type != tt.errType || code != tt.code ||
				!strings.Contains(apiErr.Message, tt.contains) {
				t.Errorf("APIError = %+v", apiErr)
			}
		})
	}
}

func TestRateLimitedWire(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.RateLimited(1500 * 1e6)) // 1.5 s
	resp, body := post(t, s, "/chat/completions", `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}]}`)
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("status = %d", resp.StatusCode)
	}
	if got := resp.Header.Get("Retry-After"); got != "2" {
		t.Errorf("Retry-After = %q, want 2 (seconds, rounded up)", got)
	}
	if got := resp.Header.Get("retry-after-ms"); got != "1500" {
		t.Errorf("retry-after-ms = %q, want 1500", got)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	var e map[string]map[string]any
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatal(err)
	}
	inner := e["error"]
	for _, k := range []string{"message", "type", "param", "code"} {
		if _, ok := inner[k]; !ok {
			t.Errorf("error body has no %q: %s", k, body)
		}
	}
	if inner["param"] != nil || inner["code"] != "rate_limit_exceeded" {
		t.Errorf("error body = %s", body)
	}

	// go-openai drops the headers but still reports the status.
	s.EnqueueChat(openaitest.RateLimited(3e9))
	_, err := newClient(s).CreateChatCompletion(context.Background(), userRequest("x"))
	var apiErr *openai.APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 429 {
		t.Errorf("err = %v", err)
	}
}

func TestNonJSONErrorIsRequestError(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.BadGateway())
	_, err := newClient(s).CreateChatCompletion(context.Background(), userRequest("x"))
	var reqErr *openai.RequestError
	if !errors.As(err, &reqErr) {
		t.Fatalf("err = %T %v, want *openai.RequestError", err, err)
	}
	if reqErr.HTTPStatusCode != http.StatusBadGateway || !strings.Contains(string(reqErr.Body), "502 Bad Gateway") {
		t.Errorf("RequestError = %+v", reqErr)
	}
}

package anthropictest_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/chorus-go/chorus/internal/anthropictest"
)

const key = "sk-ant-anthropictest-key"

// client is the real SDK client on s, with the key and no retries.
func client(s *anthropictest.Server, opts ...option.RequestOption) sdk.Client {
	base := []option.RequestOption{option.WithoutEnvironmentDefaults(), option.WithBaseURL(s.URL()),
		option.WithHTTPClient(s.HTTPClient()), option.WithHeader("x-api-key", key), option.WithMaxRetries(0)}
	return sdk.NewClient(append(base, opts...)...)
}

func params(text string) sdk.MessageNewParams {
	return sdk.MessageNewParams{Model: "claude-sonnet-4-5", MaxTokens: 100,
		Messages: []sdk.MessageParam{sdk.NewUserMessage(sdk.NewTextBlock(text))}}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// TestStreamAccumulatesToTheMessage: the SDK's own accumulator rebuilds
// from the streamed events (text_delta, input_json_delta, message_delta)
// the message the server answers without streaming.
func TestStreamAccumulatesToTheMessage(t *testing.T) {
	s := anthropictest.New(t, anthropictest.WithAPIKey(key))
	reply := anthropictest.ToolCalls(
		anthropictest.ToolCall{ID: "toolu_1", Name: "weather", Input: `{"city":"Paris","days":3}`},
		anthropictest.ToolCall{ID: "toolu_2", Name: "time", Input: `{}`},
	).WithText("Let me look.").WithUsage(anthropictest.Usage{InputTokens: 12, CacheReadInputTokens: 100, OutputTokens: 30})
	s.Enqueue(reply, reply)
	c := client(s)
	whole, err := c.Messages.New(ctx(t), params("weather?"))
	if err != nil {
		t.Fatal(err)
	}
	stream := c.Messages.NewStreaming(ctx(t), params("weather?"))
	defer stream.Close()
	var acc sdk.Message
	var types []string
	for stream.Next() {
		ev := stream.Current()
		types = append(types, ev.Type)
		if err := acc.Accumulate(ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if types[0] != "message_start" || types[len(types)-1] != "message_stop" || types[len(types)-2] != "message_delta" {
		t.Errorf("event order %v", types)
	}
	for _, m := range []*sdk.Message{whole, &acc} {
		if len(m.Content) != 3 || m.Content[0].Text != "Let me look." || m.Content[1].Name != "weather" ||
			string(m.Content[1].Input) != `{"city":"Paris","days":3}` || m.Content[2].ID != "toolu_2" {
			t.Errorf("content %+v", m.Content)
		}
		if m.StopReason != sdk.StopReasonToolUse || m.Usage.InputTokens != 12 || m.Usage.CacheReadInputTokens != 100 || m.Usage.OutputTokens != 30 {
			t.Errorf("stop %q, usage %+v", m.StopReason, m.Usage)
		}
	}
}

// TestProtocolChecks: the server refuses a wrong key (401
// authentication_error) and a missing anthropic-version (400), as the API
// does, with Anthropic's error body.
func TestProtocolChecks(t *testing.T) {
	s := anthropictest.New(t, anthropictest.WithAPIKey(key))
	wrong := client(s, option.WithHeader("x-api-key", "sk-ant-wrong"))
	_, err := wrong.Messages.New(ctx(t), params("hi"))
	var ae *sdk.Error
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusUnauthorized || ae.Type() != "authentication_error" {
		t.Errorf("wrong key: %v", err)
	}
	noVersion := client(s, option.WithHeaderDel("anthropic-version"))
	_, err = noVersion.Messages.New(ctx(t), params("hi"))
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusBadRequest || !strings.Contains(ae.Message, "anthropic-version") {
		t.Errorf("no anthropic-version: %v", err)
	}
	if s.Pending() != 0 || len(s.Requests()) != 2 {
		t.Errorf("pending %d, requests %d", s.Pending(), len(s.Requests()))
	}
}

// TestErrorsAndEvents: error replies carry Anthropic's body and the
// retry-after header; an `event: error` in a stream is the SDK's
// *anthropic.Error with the error's type.
func TestErrorsAndEvents(t *testing.T) {
	s := anthropictest.New(t)
	c := client(s)
	s.Enqueue(anthropictest.RateLimited(3*time.Second), anthropictest.Overloaded(),
		anthropictest.StreamError("part", "overloaded_error", "Overloaded"))
	_, err := c.Messages.New(ctx(t), params("hi"))
	var ae *sdk.Error
	if !errors.As(err, &ae) || ae.StatusCode != 429 || ae.Type() != "rate_limit_error" || ae.Response.Header.Get("Retry-After") != "3" {
		t.Errorf("429: %v", err)
	}
	_, err = c.Messages.New(ctx(t), params("hi"))
	if !errors.As(err, &ae) || ae.StatusCode != 529 || ae.Type() != "overloaded_error" {
		t.Errorf("529: %v", err)
	}
	stream := c.Messages.NewStreaming(ctx(t), params("hi"))
	defer stream.Close()
	var text string
	for stream.Next() {
		if ev := stream.Current(); ev.Type == "content_block_delta" {
			text += ev.Delta.Text
		}
	}
	if !errors.As(stream.Err(), &ae) || ae.Type() != "overloaded_error" || text != "part" {
		t.Errorf("stream error event: %v after %q", stream.Err(), text)
	}
}

// TestHangEndsWithTheClient: a Hang holds the request until the client
// gives up; the request was recorded.
func TestHangEndsWithTheClient(t *testing.T) {
	s := anthropictest.New(t)
	s.Enqueue(anthropictest.Hang())
	c, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	cl := client(s)
	go func() { _, err := cl.Messages.New(c, params("hi")); done <- err }()
	if err := s.WaitForRequests(ctx(t), 1); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

package openaitest_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/chorus-go/chorus/internal/openaitest"
)

// An adapter test scripts the server's replies, drives the real go-openai
// client against it and asserts on what the client sent. (The body is a test
// function: openaitest.New needs the test's t.)
func Example() {
	testChat := func(t *testing.T) {
		s := openaitest.New(t, openaitest.WithAPIKey("sk-test"))
		s.EnqueueChat(
			openaitest.RateLimited(2*time.Second), // first call: 429 + Retry-After: 2
			openaitest.Text("Bonjour"),            // second call: the answer
		)
		client := openai.NewClientWithConfig(s.ClientConfig("sk-test"))
		req := openai.ChatCompletionRequest{
			Model:    "gpt-4o-mini",
			Messages: []openai.ChatCompletionMessage{{Role: "user", Content: "Hello in French?"}},
		}
		_, err := client.CreateChatCompletion(context.Background(), req)
		var apiErr *openai.APIError
		if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 429 {
			t.Fatalf("want a 429, got %v", err)
		}
		resp, err := client.CreateChatCompletion(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Println(resp.Choices[0].Message.Content)
		last, _ := s.LastRequest()
		fmt.Println(last.Header.Get("Authorization"), last.Chat.Model)
	}
	_ = testChat
}

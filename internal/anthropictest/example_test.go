package anthropictest_test

import (
	"context"
	"fmt"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/chorus-go/chorus/internal/anthropictest"
)

// A test scripts the server's answers and drives the real SDK against it.
func ExampleServer_Enqueue() {
	t := &testing.T{} // in a test, the test's own t
	s := anthropictest.New(t)
	defer s.Close()
	s.Enqueue(anthropictest.Text("Bonjour"))

	c := sdk.NewClient(option.WithoutEnvironmentDefaults(), option.WithBaseURL(s.URL()),
		option.WithHTTPClient(s.HTTPClient()), option.WithHeader("x-api-key", "sk-ant-key"))
	msg, err := c.Messages.New(context.Background(), sdk.MessageNewParams{
		Model: "claude-sonnet-4-5", MaxTokens: 100,
		Messages: []sdk.MessageParam{sdk.NewUserMessage(sdk.NewTextBlock("Say hello in French"))},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	r, _ := s.LastRequest()
	fmt.Println(msg.Content[0].Text, msg.StopReason, r.LastUserMessage())
	// Output: Bonjour end_turn Say hello in French
}

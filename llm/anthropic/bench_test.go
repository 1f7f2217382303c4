package anthropic_test

import (
	"context"
	"net/http"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/chorus-go/chorus/internal/anthropictest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/anthropic"
)

// The benchmarks compare the SDK called directly ("Raw") with the adapter,
// against the same in-process server, so that the difference is the
// adapter's overhead: request and response mapping, the middleware that
// records the status, the retry policy and the redaction of errors.

const benchSystem = "You are a classifier. Answer with one word."

func benchClient(b *testing.B) *http.Client {
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	b.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

func benchServer(b *testing.B) *anthropictest.Server {
	return anthropictest.New(b, anthropictest.WithAPIKey(testKey), anthropictest.WithDefault(anthropictest.Text("Invoice")))
}

// BenchmarkChatRaw calls the SDK's Messages.New directly.
func BenchmarkChatRaw(b *testing.B) {
	s := benchServer(b)
	client := sdk.NewClient(option.WithoutEnvironmentDefaults(), option.WithBaseURL(s.URL()),
		option.WithHTTPClient(benchClient(b)), option.WithHeader("x-api-key", testKey), option.WithMaxRetries(0))
	params := sdk.MessageNewParams{
		Model: modelName, MaxTokens: anthropic.DefaultMaxTokens,
		System:   []sdk.TextBlockParam{{Text: benchSystem}},
		Messages: []sdk.MessageParam{sdk.NewUserMessage(sdk.NewTextBlock("INVOICE No. 2024-117"))},
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		msg, err := client.Messages.New(ctx, params)
		if err != nil || msg.Content[0].Text != "Invoice" {
			b.Fatal(msg, err)
		}
	}
}

// BenchmarkChatAdapter calls the adapter's Chat with the same request.
func BenchmarkChatAdapter(b *testing.B) {
	s := benchServer(b)
	m, err := anthropic.New(modelName, anthropic.WithAPIKey(testKey), anthropic.WithBaseURL(s.URL()), anthropic.WithHTTPClient(benchClient(b)))
	if err != nil {
		b.Fatal(err)
	}
	req := llm.Request{Messages: []llm.Message{llm.System(benchSystem), llm.User("INVOICE No. 2024-117")}}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		resp, err := m.Chat(ctx, req)
		if err != nil || resp.Text() != "Invoice" {
			b.Fatal(resp, err)
		}
	}
}

package gemini_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"google.golang.org/genai"

	"github.com/chorus-go/chorus/internal/geminitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/gemini"
)

// The benchmarks compare the genai client called directly ("Raw") with
// the adapter, against the same in-process server ("server") and against
// a canned answer without a network ("canned": only client-side work,
// far less noisy on a busy machine). The difference is the adapter's
// overhead: request and response mapping, the recorder transport and the
// retry policy.

const (
	benchSystem = "You are a classifier. Answer with one word."
	benchUser   = "INVOICE No. 2024-117, total due 1,250.00 EUR"
)

// cannedTransport answers every request with the same body.
type cannedTransport struct{ body []byte }

func (c cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	return &http.Response{StatusCode: http.StatusOK, Status: "200 OK",
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   io.NopCloser(bytes.NewReader(c.body)), Request: req}, nil
}

var cannedChat = cannedTransport{[]byte(`{"candidates":[{"content":{"role":"model","parts":[{"text":"Invoice"}]},"finishReason":"STOP","index":0}],` +
	`"usageMetadata":{"promptTokenCount":24,"candidatesTokenCount":1,"totalTokenCount":25},"modelVersion":"gemini-2.5-flash","responseId":"r1"}`)}

// benchTargets are the two ways to reach an answer: the test server and
// the canned transport.
func benchTargets(b *testing.B) map[string]func() (baseURL string, hc *http.Client) {
	return map[string]func() (string, *http.Client){
		"server": func() (string, *http.Client) {
			s := geminitest.New(b, geminitest.WithAPIKey(testKey))
			s.SetDefault(geminitest.EndpointChat, geminitest.Text("Invoice"))
			tr := &http.Transport{MaxIdleConnsPerHost: 64}
			b.Cleanup(tr.CloseIdleConnections)
			return s.URL(), &http.Client{Transport: tr}
		},
		"canned": func() (string, *http.Client) {
			return "http://canned.invalid/", &http.Client{Transport: cannedChat}
		},
	}
}

// BenchmarkChatRaw calls genai's Models.GenerateContent directly.
func BenchmarkChatRaw(b *testing.B) {
	for name, target := range benchTargets(b) {
		b.Run(name, func(b *testing.B) {
			url, hc := target()
			client, err := genai.NewClient(context.Background(), &genai.ClientConfig{APIKey: testKey, Backend: genai.BackendGeminiAPI,
				HTTPClient: hc, HTTPOptions: genai.HTTPOptions{BaseURL: url, APIVersion: "v1beta"}})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				cfg := &genai.GenerateContentConfig{SystemInstruction: &genai.Content{Parts: []*genai.Part{{Text: benchSystem}}}}
				resp, err := client.Models.GenerateContent(ctx, "gemini-2.5-flash", []*genai.Content{{Role: "user", Parts: []*genai.Part{{Text: benchUser}}}}, cfg)
				if err != nil {
					b.Fatal(err)
				}
				if resp.Text() != "Invoice" {
					b.Fatal(resp.Text())
				}
			}
		})
	}
}

// BenchmarkChatAdapter is the same call through Model.Chat.
func BenchmarkChatAdapter(b *testing.B) {
	for name, target := range benchTargets(b) {
		b.Run(name, func(b *testing.B) {
			url, hc := target()
			m, err := gemini.New("gemini-2.5-flash", gemini.WithAPIKey(testKey), gemini.WithBaseURL(url), gemini.WithHTTPClient(hc))
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				resp, err := m.Chat(ctx, llm.Request{Messages: []llm.Message{llm.System(benchSystem), llm.User(benchUser)}})
				if err != nil {
					b.Fatal(err)
				}
				if resp.Text() != "Invoice" {
					b.Fatal(resp.Text())
				}
			}
		})
	}
}

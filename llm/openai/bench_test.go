package openai_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/openai"
)

// The benchmarks compare go-openai called directly ("Raw") with the
// adapter, against the same in-process server, so the difference is the
// adapter's overhead: request and response mapping, the transport wrapper
// that keeps Retry-After, and the stream's tool-call assembly.

const benchSystem = "You are a classifier. Answer with one word."

func benchClient(b *testing.B) *http.Client {
	tr := &http.Transport{MaxIdleConnsPerHost: 256}
	b.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// cannedDoer answers every request with the same chat completion, without
// a network: the "no-network" benchmarks measure only client-side work,
// which is far less noisy than a round trip on a busy machine.
type cannedDoer struct{ body []byte }

func (d cannedDoer) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	return &http.Response{
		StatusCode: http.StatusOK, Status: "200 OK",
		Header:  http.Header{"Content-Type": {"application/json"}},
		Body:    io.NopCloser(bytes.NewReader(d.body)),
		Request: req,
	}, nil
}

var cannedChat = cannedDoer{[]byte(`{"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",` +
	`"choices":[{"index":0,"message":{"role":"assistant","content":"Invoice","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],` +
	`"usage":{"prompt_tokens":24,"completion_tokens":2,"total_tokens":26},"service_tier":"default","system_fingerprint":"fp_1"}`)}

// BenchmarkChatRaw calls go-openai's CreateChatCompletion directly, against
// the in-process server and without a network.
func BenchmarkChatRaw(b *testing.B) {
	run := func(b *testing.B, cfg goopenai.ClientConfig) {
		client := goopenai.NewClientWithConfig(cfg)
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			req := goopenai.ChatCompletionRequest{Model: "gpt-4o-mini", Messages: []goopenai.ChatCompletionMessage{
				{Role: goopenai.ChatMessageRoleSystem, Content: benchSystem},
				{Role: goopenai.ChatMessageRoleUser, Content: "INVOICE No. 2024-117, total due 1,250.00 EUR"},
			}}
			resp, err := client.CreateChatCompletion(ctx, req)
			if err != nil {
				b.Fatal(err)
			}
			if resp.Choices[0].Message.Content != "Invoice" {
				b.Fatal(resp.Choices[0].Message.Content)
			}
		}
	}
	b.Run("server", func(b *testing.B) {
		s := openaitest.New(b)
		s.SetDefault(openaitest.EndpointChat, openaitest.Text("Invoice"))
		cfg := s.ClientConfig(testKey)
		cfg.HTTPClient = benchClient(b)
		run(b, cfg)
	})
	b.Run("no-network", func(b *testing.B) {
		cfg := goopenai.DefaultConfig(testKey)
		cfg.HTTPClient = cannedChat
		run(b, cfg)
	})
}

// BenchmarkChatAdapter is BenchmarkChatRaw through Model.Chat.
func BenchmarkChatAdapter(b *testing.B) {
	run := func(b *testing.B, m *openai.Model) {
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			req := llm.Request{Messages: []llm.Message{
				llm.System(benchSystem), llm.User("INVOICE No. 2024-117, total due 1,250.00 EUR"),
			}}
			resp, err := m.Chat(ctx, req)
			if err != nil {
				b.Fatal(err)
			}
			if resp.Text() != "Invoice" {
				b.Fatal(resp.Text())
			}
		}
	}
	b.Run("server", func(b *testing.B) {
		s := openaitest.New(b)
		s.SetDefault(openaitest.EndpointChat, openaitest.Text("Invoice"))
		run(b, newModel(b, s, openai.WithHTTPClient(benchClient(b))))
	})
	b.Run("no-network", func(b *testing.B) {
		m, err := openai.New("gpt-4o-mini", openai.WithAPIKey(testKey), openai.WithHTTPClient(cannedChat))
		if err != nil {
			b.Fatal(err)
		}
		run(b, m)
	})
}

// streamAnswer is 200 characters, streamed 4 to a delta: 50 deltas.
var streamAnswer = strings.Repeat("Chorus streams. ", 12) + "The end"

func streamServer(b *testing.B) *openaitest.Server {
	s := openaitest.New(b)
	s.SetDefault(openaitest.EndpointChat, openaitest.Text(streamAnswer))
	return s
}

// BenchmarkStreamFirstChunkRaw reads go-openai's stream to its end and
// reports the mean time to the first text delta as ns/first-chunk (ns/op
// is the whole stream).
func BenchmarkStreamFirstChunkRaw(b *testing.B) {
	s := streamServer(b)
	cfg := s.ClientConfig(testKey)
	cfg.HTTPClient = benchClient(b)
	client := goopenai.NewClientWithConfig(cfg)
	ctx := context.Background()
	var first time.Duration
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		req := goopenai.ChatCompletionRequest{Model: "gpt-4o-mini", Messages: []goopenai.ChatCompletionMessage{
			{Role: goopenai.ChatMessageRoleUser, Content: "Tell me about Chorus."},
		}, StreamOptions: &goopenai.StreamOptions{IncludeUsage: true}}
		stream, err := client.CreateChatCompletionStream(ctx, req)
		if err != nil {
			b.Fatal(err)
		}
		var text strings.Builder
		for {
			r, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			for _, c := range r.Choices {
				if c.Delta.Content != "" && text.Len() == 0 {
					first += time.Since(start)
				}
				text.WriteString(c.Delta.Content)
			}
		}
		stream.Close()
		if text.String() != streamAnswer {
			b.Fatal(text.String())
		}
	}
	b.ReportMetric(float64(first.Nanoseconds())/float64(b.N), "ns/first-chunk")
}

// BenchmarkStreamFirstChunkAdapter is the same through Model.Stream.
func BenchmarkStreamFirstChunkAdapter(b *testing.B) {
	s := streamServer(b)
	m := newModel(b, s, openai.WithHTTPClient(benchClient(b)))
	ctx := context.Background()
	var first time.Duration
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		var text strings.Builder
		for c, err := range m.Stream(ctx, user("Tell me about Chorus.")) {
			if err != nil {
				b.Fatal(err)
			}
			if c.Text != "" && text.Len() == 0 {
				first += time.Since(start)
			}
			text.WriteString(c.Text)
		}
		if text.String() != streamAnswer {
			b.Fatal(text.String())
		}
	}
	b.ReportMetric(float64(first.Nanoseconds())/float64(b.N), "ns/first-chunk")
}

// BenchmarkEmbed10k embeds 10,000 texts: in one Embed call (split into
// requests of 2048), through llm.EmbedChain from 256 concurrent callers
// (dynamic batching), and as 10,000 single-text requests from 256 callers
// (no batching). It reports requests/op and texts/s. The in-process server
// answers in microseconds; a real one takes tens of milliseconds a request
// and limits requests per minute, which widens the gap.
func BenchmarkEmbed10k(b *testing.B) {
	const n, workers = 10000, 256
	in := texts(n)
	run := func(b *testing.B, opts []openai.EmbedOption, embed func(e *openai.Embedder)) {
		s := openaitest.New(b, openaitest.WithEmbeddingDim(256))
		e := newEmbedder(b, s, append([]openai.EmbedOption{openai.WithHTTPClient(benchClient(b))}, opts...)...)
		b.ReportAllocs()
		start := time.Now()
		for b.Loop() {
			embed(e)
		}
		elapsed := time.Since(start)
		b.ReportMetric(float64(s.EmbeddingRequests())/float64(b.N), "requests/op")
		b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "texts/s")
	}
	concurrently := func(b *testing.B, call func(i int) error) {
		var (
			wg   sync.WaitGroup
			next = make(chan int)
			mu   sync.Mutex
			errs []error
		)
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					if err := call(i); err != nil {
						mu.Lock()
						errs = append(errs, err)
						mu.Unlock()
					}
				}
			}()
		}
		for i := range in {
			next <- i
		}
		close(next)
		wg.Wait()
		if len(errs) > 0 {
			b.Fatal(errs[0])
		}
	}
	ctx := context.Background()

	b.Run("one-call", func(b *testing.B) {
		run(b, nil, func(e *openai.Embedder) {
			if _, err := e.Embed(ctx, in); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("one-call-base64", func(b *testing.B) {
		run(b, []openai.EmbedOption{openai.WithBase64Embeddings(true)}, func(e *openai.Embedder) {
			if _, err := e.Embed(ctx, in); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("one-call-concurrency-2", func(b *testing.B) {
		run(b, []openai.EmbedOption{openai.WithConcurrency(2)}, func(e *openai.Embedder) {
			if _, err := e.Embed(ctx, in); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("embedchain-batched", func(b *testing.B) {
		run(b, nil, func(e *openai.Embedder) {
			c := llm.EmbedChain(e, chain.MaxSize(256), chain.MaxWait(2*time.Millisecond))
			concurrently(b, func(i int) error {
				_, err := c.Run(ctx, in[i])
				return err
			})
		})
	})
	b.Run("unbatched", func(b *testing.B) {
		run(b, nil, func(e *openai.Embedder) {
			concurrently(b, func(i int) error {
				_, err := e.Embed(ctx, in[i:i+1])
				return err
			})
		})
	})
}

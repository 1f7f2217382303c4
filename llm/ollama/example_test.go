package ollama_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/ollamatest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/ollama"
)

// Chat, stream and embed against an Ollama server. A program writes
// ollama.New("llama3.2") and gets the server from OLLAMA_HOST; this example
// stands an in-process Ollama in for it and names it with WithHost.
func Example() {
	tb := &exampleTB{}
	defer tb.cleanup()
	srv := ollamatest.New(tb, ollamatest.WithModels("llama3.2", "nomic-embed-text"), ollamatest.WithEmbedDim(768))
	srv.Enqueue(ollamatest.Text("Paris.").WithUsage(14, 2), ollamatest.Text("Bonjour tout le monde !"))
	server := []ollama.SharedOption{ollama.WithHost(srv.URL().String()), ollama.WithHTTPClient(srv.HTTPClient())}
	ctx := context.Background()

	m, err := ollama.New("llama3.2", server[0], server[1], ollama.WithKeepAlive(10*time.Minute),
		ollama.WithModelOptions(map[string]any{"num_ctx": 8192}))
	if err != nil {
		log.Fatal(err)
	}
	resp, err := m.Chat(ctx, llm.Request{Messages: []llm.Message{
		llm.System("Answer in one word."),
		llm.User("What is the capital of France?"),
	}})
	fmt.Println(resp.Text(), resp.FinishReason, resp.Usage.Total(), err)

	for chunk, err := range m.Stream(ctx, llm.Request{Messages: []llm.Message{llm.User("Say hello in French.")}}) {
		if err != nil {
			log.Fatal(err)
		}
		if chunk.Done {
			fmt.Println(" done:", chunk.FinishReason, chunk.Usage.OutputTokens, "tokens")
			break
		}
		fmt.Printf("[%s]", chunk.Text)
	}

	missing, _ := ollama.New("mistral", server[0], server[1])
	_, err = missing.Chat(ctx, llm.Request{Messages: []llm.Message{llm.User("hi")}})
	fmt.Println(errors.Is(err, llm.ErrModelNotFound), chain.IsRetryable(err))

	e, err := ollama.NewEmbedder("nomic-embed-text", server[0], server[1])
	if err != nil {
		log.Fatal(err)
	}
	vecs, err := e.Embed(ctx, []string{"invoice", "receipt", "letter"})
	fmt.Println(len(vecs), e.Dimensions(), err)
	fmt.Print(chain.Mermaid(llm.ChatChain(m)))
	// Output:
	// Paris. stop 16 <nil>
	// [Bonj][our ][tout][ le ][mond][e !] done: stop 6 tokens
	// true false
	// 3 768 <nil>
	// flowchart LR
	//   n1["ollama:llama3.2 (model)"]
}

// A model in a program: the server comes from OLLAMA_HOST, a health check
// keeps a breaker closed only while the model is served, retries handle
// Ollama's busy answers and dropped connections, and a timeout bounds each
// call (the adapter's HTTP client has none, since loading a model can take
// minutes).
func ExampleNew() {
	m, err := ollama.New("llama3.2", ollama.WithThink(false))
	if err != nil {
		log.Fatal(err)
	}
	model := chain.Breaker(
		chain.Retry(chain.Timeout(llm.ChatChain(m), 2*time.Minute), chain.Attempts(3)),
		chain.HealthCheck(m.Ping),
	)
	resp, err := model.Run(context.Background(), llm.Request{Messages: []llm.Message{llm.User("Why is the sky blue?")}})
	if errors.Is(err, llm.ErrModelNotFound) {
		log.Fatal(err) // model "llama3.2" is not installed on the Ollama server at ...: run "ollama pull llama3.2"
	}
	fmt.Println(resp.Text(), err)
}

// exampleTB is the part of testing.TB the test server uses, for running
// it in an example.
type exampleTB struct {
	testing.TB
	cleanups []func()
}

func (e *exampleTB) Helper()                           {}
func (e *exampleTB) Cleanup(f func())                  { e.cleanups = append(e.cleanups, f) }
func (e *exampleTB) Errorf(format string, args ...any) { log.Printf(format, args...) }
func (e *exampleTB) Fatalf(format string, args ...any) { log.Fatalf(format, args...) }

func (e *exampleTB) cleanup() {
	for i := len(e.cleanups) - 1; i >= 0; i-- {
		e.cleanups[i]()
	}
}

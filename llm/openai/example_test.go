package openai_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/openai"
)

// The example points the adapter at an OpenAI-compatible server (here a
// stand-in that always gives the same answer) with WithBaseURL: a local
// server needs no API key. For OpenAI itself, set OPENAI_API_KEY and call
// openai.New("gpt-4o-mini").
func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"chatcmpl-1","object":"chat.completion","model":"llama-3.2-3b",
			"choices":[{"index":0,"message":{"role":"assistant","content":"Invoice"},"finish_reason":"stop"}],
			"usage":{"prompt_tokens":24,"completion_tokens":2,"total_tokens":26}}`)
	}))
	defer srv.Close()

	model, err := openai.New("llama-3.2-3b",
		openai.WithBaseURL(srv.URL+"/v1"), // e.g. http://localhost:8000/v1 for vLLM
		openai.WithHTTPClient(srv.Client()))
	if err != nil {
		log.Fatal(err)
	}
	classify := llm.Prompt(model, "Classify the document: Invoice, Receipt or Letter. Answer with one word.")
	label, err := classify.Run(context.Background(), "INVOICE No. 2024-117 — Total due: 1,250.00 EUR")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(label)
	fmt.Println(chain.Describe(model).Name)
	// Output:
	// Invoice
	// openai:llama-3.2-3b
}

// Streaming prints the answer as it arrives; the last chunk carries the
// usage.
func ExampleModel_Stream() {
	model, err := openai.New("gpt-4o-mini") // OPENAI_API_KEY from the environment
	if err != nil {
		log.Fatal(err)
	}
	req := llm.Request{Messages: []llm.Message{llm.User("Write a haiku about Go.")}}
	for chunk, err := range model.Stream(context.Background(), req) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Print(chunk.Text)
		if chunk.Done {
			fmt.Printf("\n(%d tokens)\n", chunk.Usage.Total())
		}
	}
}

// Embeddings: concurrent single-text calls gathered into batched requests.
func ExampleNewEmbedder() {
	emb, err := openai.NewEmbedder("text-embedding-3-small", openai.WithDimensions(256))
	if err != nil {
		log.Fatal(err)
	}
	embed := llm.EmbedChain(emb) // safe to call from many goroutines
	v, err := embed.Run(context.Background(), "Chorus composes models.")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(v))
}

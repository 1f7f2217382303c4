// Command hello is the README's first program: it asks a model for a typed
// answer, validated against the answer type's JSON schema, retrying the
// server's rate limits and failures.
//
//	OPENAI_API_KEY=sk-... go run ./examples/hello
//
// Any OpenAI-compatible server works too: set OPENAI_BASE_URL (for example
// http://localhost:11434/v1 for Ollama) and pass -model.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/openai"
)

// Review is what the model must answer: the struct's JSON schema is sent
// with the request, and the reply is validated against it before it is
// decoded.
type Review struct {
	Sentiment string   `json:"sentiment" jsonschema:"enum=positive,enum=negative,enum=mixed"`
	Stars     int      `json:"stars" jsonschema:"minimum=1,maximum=5"`
	Points    []string `json:"points" jsonschema:"description=What the reviewer liked or disliked, a few words each"`
}

// reviewer extracts a Review from a text. An invalid reply is re-asked
// with the validation error (llm.Extractor does that); the model's 429s
// and 5xx are retried by the model itself (see main).
func reviewer(model llm.ChatModel) chain.Chain[string, Review] {
	return llm.Extractor[Review](model)
}

func main() {
	name := flag.String("model", "gpt-4o-mini", "the chat model")
	flag.Parse()
	text := "The battery lasts two days, but the screen scratches far too easily."
	if flag.NArg() > 0 {
		text = strings.Join(flag.Args(), " ")
	}

	// The key comes from OPENAI_API_KEY (or a server from OPENAI_BASE_URL);
	// 429s, 5xx and dropped connections are retried four times, waiting as
	// long as the server's Retry-After asks (up to a minute).
	model, err := openai.New(*name, openai.WithMaxRetries(4))
	if err != nil {
		fmt.Fprintln(os.Stderr, "hello:", err)
		os.Exit(2)
	}
	r, err := reviewer(model).Run(context.Background(), text)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hello:", err)
		os.Exit(1)
	}
	fmt.Printf("%s, %d stars: %s\n", r.Sentiment, r.Stars, strings.Join(r.Points, "; "))
}

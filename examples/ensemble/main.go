// Command ensemble is an ensemble inference graph in the style of
// BentoML's model composition examples: two text generators write on the
// same prompt at once (chain.Parallel), a classifier scores each text
// (here: how positive a product review is), and the best is kept.
//
//	go run ./examples/ensemble
//	go run ./examples/ensemble -prompt "Write a short review of the Kettle Pro."
//	OPENAI_API_KEY=sk-... go run ./examples/ensemble -models openai:gpt-4o-mini,ollama:llama3.2
//
// With no model configured, the generators are a Markov chain trained on
// bundled reviews and a template filler, and the scorer is a naive Bayes
// sentiment model trained on bundled sentences. Configured models
// (OPENAI_API_KEY, OPENAI_BASE_URL, OLLAMA_HOST, -models) take the
// generators' places, falling back to the local ones when they fail, and
// join the scoring in a weighted-mean vote.
//
// Each model is wrapped in llm/guard (examples/internal/reliable): 4
// attempts at a call that fails retryably, a timeout per attempt and a
// circuit breaker, with the adapter's own retries off; it is looked up
// once at start, and one its server does not have is left out with a
// "not used" line. With models, stderr's last line counts the retries
// and fallbacks.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/examples/internal/reliable"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv, nil, reliable.Settings{})
	stop()
	os.Exit(code)
}

// run is the program: it returns the exit status. getenv reads the
// environment, client (if not nil) carries the models' requests, and
// settings is their guard.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string, client *http.Client, settings reliable.Settings) int {
	fl := flag.NewFlagSet("ensemble", flag.ContinueOnError)
	fl.SetOutput(stderr)
	prompt := fl.String("prompt", "Write a short review of the Kettle Pro.", "what the generators write about")
	models := fl.String("models", "", "chat models, comma-separated: openai:gpt-4o-mini,ollama:llama3.2 (none: local only; default: from the environment)")
	seed := fl.Uint64("seed", 1, "seed of the local generators")
	asJSON := fl.Bool("json", false, "print the result as JSON instead")
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	// The counter sees the models' retries and fallbacks, from their
	// look-up on.
	var count reliable.Counter
	ctx = chain.WithHooks(ctx, count.Hook())
	e, err := Build(ctx, Config{Models: *models, Seed: *seed, Getenv: getenv, HTTPClient: client, Reliability: settings})
	if err != nil {
		fmt.Fprintln(stderr, "ensemble:", err)
		return 2
	}
	fmt.Fprintf(stderr, "models: generators: %s\n        scorers (weighted mean): %s\n", strings.Join(e.Generators, ", "), strings.Join(e.Scorers, ", "))
	for _, s := range e.Skipped {
		fmt.Fprintln(stderr, "        not used: "+s)
	}
	res, err := e.Chain.Run(ctx, *prompt)
	if err != nil {
		fmt.Fprintln(stderr, "ensemble:", err)
		return 1
	}
	if len(e.Scorers) > 1 { // a language model took part
		fmt.Fprintln(stderr, "ensemble: "+count.String())
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return 1
		}
		return 0
	}
	fmt.Fprintln(stdout, chain.Mermaid(e.Chain))
	fmt.Fprintf(stdout, "prompt: %s\n\n", *prompt)
	for i, c := range res.Candidates {
		mark := " "
		if i == res.Best {
			mark = "*"
		}
		fmt.Fprintf(stdout, "%s %-22s P(positive) %.2f  agreement %.2f\n    %s\n", mark, c.Generator, c.Score, c.Agreement, c.Text)
		if c.FellBack != "" {
			fmt.Fprintf(stdout, "    (the model failed: %s)\n", c.FellBack)
		}
	}
	best := res.Candidates[res.Best]
	fmt.Fprintf(stdout, "\nbest: %s (P(positive) %.2f)\n", best.Generator, best.Score)
	return 0
}

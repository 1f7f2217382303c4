// Command router is a hierarchical recognition: a broad classifier
// decides whether a short animal description is of a bird, a mammal or a
// reptile, and routes it to that group's specialist, which decides the
// species. Each classifier is a chain.Vote among keyword
// rules, a naive Bayes model trained on bundled field notes, and — when
// configured — LLMs through llm.Classifier.
//
// With no configuration it runs on the local models alone, with no
// network. Set OPENAI_API_KEY (or OPENAI_BASE_URL for an OpenAI-compatible
// server) and/or OLLAMA_HOST to add those models to every vote.
// Each LLM is wrapped in llm/guard (examples/internal/reliable): 4
// attempts at a call that fails retryably, a timeout per attempt and a
// circuit breaker, with the adapter's own retries off; one that still
// fails loses its ballot and the local models carry the vote. An LLM the
// server does not have is said once at start and left out. With LLMs,
// the last line on stderr counts the retries and fallbacks.
//
// Usage:
//
//	go run ./examples/router                       # the bundled field notes
//	go run ./examples/router "a snake on the heath" "an owl hooting"
//	go run ./examples/router -dot | dot -Tsvg > graph.svg
//
// It prints each text's route and species with the votes' agreement and
// ballots, then the inference graph (Mermaid, or Graphviz DOT with -dot).
package main

import (
	"context"
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

// config is what a run needs.
type config struct {
	texts []string // nil: the bundled samples
	dot   bool
	llms  []voter
}

// env is what the program reads and writes besides its arguments, so
// that tests can give their own.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	httpClient     *http.Client // nil: the adapters' own
	// reliability sets the guard of the LLMs (tests shorten its
	// backoffs).
	reliability reliable.Settings
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := program(ctx, os.Args[1:], env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
	stop()
	os.Exit(code)
}

// program parses the flags, finds the LLMs and runs; it returns the exit
// status.
func program(ctx context.Context, args []string, e env) int {
	fl := flag.NewFlagSet("router", flag.ContinueOnError)
	fl.SetOutput(e.stderr)
	dot := fl.Bool("dot", false, "print the inference graph as Graphviz DOT instead of Mermaid")
	local := fl.Bool("local", false, "use the local models only, even when LLMs are configured")
	openaiModel := fl.String("openai-model", "gpt-4o-mini", "OpenAI model, when OPENAI_API_KEY or OPENAI_BASE_URL is set")
	ollamaModel := fl.String("ollama-model", "llama3.2", "Ollama model, when OLLAMA_HOST is set")
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}

	// The counter sees the LLMs' retries, from their look-up on.
	var count reliable.Counter
	ctx = chain.WithHooks(ctx, count.Hook())
	cfg := config{texts: fl.Args(), dot: *dot}
	if !*local {
		llms, skipped, err := configuredLLMs(ctx, *openaiModel, *ollamaModel, e)
		if err != nil {
			fmt.Fprintln(e.stderr, "router:", err)
			return 1
		}
		for _, s := range skipped {
			fmt.Fprintln(e.stderr, "router: not used:", s)
		}
		cfg.llms = llms
	}
	if err := run(ctx, e.stdout, cfg); err != nil {
		fmt.Fprintln(e.stderr, "router:", err)
		return 1
	}
	if len(cfg.llms) > 0 {
		fmt.Fprintln(e.stderr, "router: "+count.String())
	}
	return 0
}

// run recognises the texts and writes the report and the graph to w.
func run(ctx context.Context, w io.Writer, cfg config) error {
	members := []string{"rules", "naive bayes"}
	for _, v := range cfg.llms {
		members = append(members, fmt.Sprintf("%s (weight %d)", v.name, llmWeight))
	}
	fmt.Fprintf(w, "voters: %s\n\n", strings.Join(members, ", "))

	recognise := recogniser(cfg.llms)
	texts := cfg.texts
	if len(texts) == 0 {
		for _, s := range samples {
			texts = append(texts, s.text)
		}
	}
	for _, text := range texts {
		r, err := recognise.Run(ctx, text)
		if err != nil {
			return fmt.Errorf("%q: %w", text, err)
		}
		report(w, r)
	}
	fmt.Fprintln(w)
	if cfg.dot {
		fmt.Fprint(w, chain.DOT(recognise))
	} else {
		fmt.Fprint(w, chain.Mermaid(recognise))
	}
	return nil
}

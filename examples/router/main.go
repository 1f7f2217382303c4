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
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/chorus-go/chorus/chain"
)

// config is what a run needs.
type config struct {
	texts []string // nil: the bundled samples
	dot   bool
	llms  []voter
}

func main() {
	dot := flag.Bool("dot", false, "print the inference graph as Graphviz DOT instead of Mermaid")
	local := flag.Bool("local", false, "use the local models only, even when LLMs are configured")
	openaiModel := flag.String("openai-model", "gpt-4o-mini", "OpenAI model, when OPENAI_API_KEY or OPENAI_BASE_URL is set")
	ollamaModel := flag.String("ollama-model", "llama3.2", "Ollama model, when OLLAMA_HOST is set")
	flag.Parse()

	cfg := config{texts: flag.Args(), dot: *dot}
	if !*local {
		llms, err := configuredLLMs(*openaiModel, *ollamaModel)
		if err != nil {
			fmt.Fprintln(os.Stderr, "router:", err)
			os.Exit(1)
		}
		cfg.llms = llms
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "router:", err)
		os.Exit(1)
	}
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

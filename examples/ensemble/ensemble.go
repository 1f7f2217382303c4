package main

import (
	"context"
	"embed"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/examples/internal/reliable"
	"github.com/chorus-go/chorus/llm"
)

//go:embed testdata/*.txt
var corpus embed.FS

// reviewerPrompt is the system prompt of the language-model generators.
const reviewerPrompt = "You write short product reviews: two or three sentences, plain text, no title."

// Config says which models take part.
type Config struct {
	// Models lists the chat models ("openai:gpt-4o-mini,ollama:llama3.2";
	// "none" for local models only; empty: from the environment).
	Models string
	// Seed varies the local generators' choices (default 1).
	Seed uint64
	// Words is about how long the Markov text is (default 24 words).
	Words int
	// Getenv reads the environment (default os.Getenv).
	Getenv func(string) string
	// HTTPClient, if set, carries the model clients' requests.
	HTTPClient *http.Client
	// Reliability is the guard every language model is wrapped in (the
	// zero value: 4 attempts at a call that fails retryably, a 2-minute
	// timeout per attempt, a breaker).
	Reliability reliable.Settings
}

// Candidate is one generator's text and its score.
type Candidate struct {
	Generator string `json:"generator"`
	Text      string `json:"text"`
	// Score is the scorers' weighted mean P(positive); Agreement how
	// close their scores were (1: the same).
	Score     float64 `json:"score"`
	Agreement float64 `json:"agreement"`
	// FellBack is the error of a language model whose local stand-in
	// wrote the text instead.
	FellBack string `json:"fell_back,omitempty"`
}

// Result is the candidates, in generator order, and the best one.
type Result struct {
	Candidates []Candidate `json:"candidates"`
	Best       int         `json:"best"`
}

// Ensemble is the inference graph of the example: two generators run
// at once on one prompt, a scorer rates each text, the best wins.
type Ensemble struct {
	Chain      chain.Chain[string, Result]
	Generators []string
	Scorers    []string
	Skipped    []string
}

// Build finds the models and trains the local ones. The first two
// configured models are the generators, each falling back to a local
// generator (the Markov chain for the first, the template for the
// second); every configured model also scores, next to naive Bayes.
func Build(ctx context.Context, cfg Config) (*Ensemble, error) {
	if cfg.Getenv == nil {
		cfg.Getenv = os.Getenv
	}
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	if cfg.Words <= 0 {
		cfg.Words = 24
	}
	models, skipped, err := findModels(ctx, cfg.Models, cfg.Getenv, cfg.HTTPClient, 300*time.Millisecond, cfg.Reliability)
	if err != nil {
		return nil, err
	}
	read := func(name string) string { b, _ := corpus.ReadFile("testdata/" + name); return string(b) }
	markov := TrainMarkov(read("reviews.txt"), cfg.Seed, cfg.Words)
	bayes, err := TrainBayes(lines(read("positive.txt")), lines(read("negative.txt")))
	if err != nil {
		return nil, err
	}
	e := &Ensemble{Skipped: skipped}

	locals := []struct {
		name string
		c    chain.Chain[string, string]
	}{{"markov", markov}, {"template", Template{cfg.Seed}}}
	var gens []chain.Chain[string, Candidate]
	for i, local := range locals {
		if i < len(models) {
			m := models[i]
			model := llm.Prompt(m.model, reviewerPrompt) // guarded: see findModels
			gens = append(gens, fallbackGenerator(chain.FallbackTrace(model, local.c), m.name, local.name))
			e.Generators = append(e.Generators, m.name+" (else "+local.name+")")
			continue
		}
		gens = append(gens, generator(local.name, local.c))
		e.Generators = append(e.Generators, local.name)
	}

	members := []chain.Voter[string, float64]{chain.Member[string, float64]("naive-bayes", bayes)}
	e.Scorers = []string{"naive-bayes"}
	for _, m := range models {
		members = append(members, chain.Member(m.name, positiveProbability(m.model)).Weight(2))
		e.Scorers = append(e.Scorers, m.name)
	}
	score := chain.Named("score", chain.Vote(chain.WeightedMean[float64](), members))

	e.Chain = chain.Named("ensemble", chain.Then3(
		chain.Named("generate", chain.Parallel(gens)),
		chain.Named("rate", chain.Map(chain.Step(score, textOf, setScore))),
		chain.Named("pick", chain.Pure(pick)),
	))
	return e, nil
}

// positiveProbability asks a model how positive a text is: its label and
// confidence, as P(positive).
func positiveProbability(m llm.ChatModel) chain.Chain[string, float64] {
	return chain.Then(
		llm.ScoredClassifier(m, []Sentiment{Positive, Negative}), // m is guarded: see findModels
		chain.Named("p(positive)", chain.Pure(func(c llm.Classification[Sentiment]) float64 {
			if c.Label == Positive {
				return c.Confidence
			}
			return 1 - c.Confidence
		})),
	)
}

// generator makes candidates of a local generator's texts.
func generator(name string, c chain.Chain[string, string]) chain.Chain[string, Candidate] {
	return chain.Wrap(c, func(ctx context.Context, prompt string, c chain.Chain[string, string]) (Candidate, error) {
		text, err := c.Run(ctx, prompt)
		return Candidate{Generator: name, Text: strings.TrimSpace(text)}, err
	})
}

// fallbackGenerator makes candidates of a model generator's texts, or of
// its local stand-in's when the model fails: names[i] is the name of the
// alternative i of c.
func fallbackGenerator(c chain.Chain[string, chain.Answered[string]], names ...string) chain.Chain[string, Candidate] {
	return chain.Wrap(c, func(ctx context.Context, prompt string, c chain.Chain[string, chain.Answered[string]]) (Candidate, error) {
		a, err := c.Run(ctx, prompt)
		if err != nil {
			return Candidate{}, err
		}
		cand := Candidate{Generator: names[a.Index], Text: strings.TrimSpace(a.Value)}
		if len(a.Errors) > 0 {
			cand.FellBack = a.Errors[0].Error()
		}
		return cand, nil
	})
}

// textOf is what the scorers rate.
func textOf(c Candidate) string { return c.Text }

// setScore records the scorers' verdict on a candidate.
func setScore(c Candidate, v chain.Verdict[float64]) Candidate {
	c.Score, c.Agreement = v.Answer, v.Agreement
	return c
}

// pick keeps every candidate and marks the best scored, the first on a
// tie.
func pick(cands []Candidate) Result {
	r := Result{Candidates: cands}
	for i, c := range cands {
		if c.Score > cands[r.Best].Score {
			r.Best = i
		}
	}
	return r
}

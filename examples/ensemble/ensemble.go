package main

import (
	"context"
	"embed"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/chorus-go/chorus/chain"
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
	models, skipped, err := findModels(ctx, cfg.Models, cfg.Getenv, cfg.HTTPClient, 300*time.Millisecond)
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

	locals := []generator{{"markov", markov}, {"template", Template{cfg.Seed}}}
	var gens []chain.Chain[string, Candidate]
	for i, local := range locals {
		if i < len(models) {
			m := models[i]
			gens = append(gens, fallbackGenerator{
				c:     chain.FallbackTrace(chain.Retry(llm.Prompt(m.model, reviewerPrompt), chain.Attempts(2)), local.c),
				names: []string{m.name, local.name},
			})
			e.Generators = append(e.Generators, m.name+" (else "+local.name+")")
			continue
		}
		gens = append(gens, local)
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
		chain.Named("rate", chain.Map(scoreStage{score})),
		chain.Named("pick", chain.Pure(pick)),
	))
	return e, nil
}

// positiveProbability asks a model how positive a text is: its label and
// confidence, as P(positive).
func positiveProbability(m llm.ChatModel) chain.Chain[string, float64] {
	return chain.Then(
		chain.Retry(llm.ScoredClassifier(m, []Sentiment{Positive, Negative}), chain.Attempts(2)),
		chain.Named("p(positive)", chain.Pure(func(c llm.Classification[Sentiment]) float64 {
			if c.Label == Positive {
				return c.Confidence
			}
			return 1 - c.Confidence
		})),
	)
}

// generator is a local generator and its name.
type generator struct {
	name string
	c    chain.Chain[string, string]
}

func (g generator) Run(ctx context.Context, prompt string) (Candidate, error) {
	text, err := g.c.Run(ctx, prompt)
	return Candidate{Generator: g.name, Text: strings.TrimSpace(text)}, err
}

func (g generator) Describe() chain.Node { return chain.Describe(g.c) }

// fallbackGenerator is a model generator with its local stand-in.
type fallbackGenerator struct {
	c     chain.Chain[string, chain.Answered[string]]
	names []string
}

func (g fallbackGenerator) Run(ctx context.Context, prompt string) (Candidate, error) {
	a, err := g.c.Run(ctx, prompt)
	if err != nil {
		return Candidate{}, err
	}
	c := Candidate{Generator: g.names[a.Index], Text: strings.TrimSpace(a.Value)}
	if len(a.Errors) > 0 {
		c.FellBack = a.Errors[0].Error()
	}
	return c, nil
}

func (g fallbackGenerator) Describe() chain.Node { return chain.Describe(g.c) }

// scoreStage scores a candidate's text.
type scoreStage struct {
	score chain.Chain[string, chain.Verdict[float64]]
}

func (s scoreStage) Run(ctx context.Context, c Candidate) (Candidate, error) {
	v, err := s.score.Run(ctx, c.Text)
	if err != nil {
		return c, err
	}
	c.Score, c.Agreement = v.Answer, v.Agreement
	return c, nil
}

func (s scoreStage) Describe() chain.Node { return chain.Describe(s.score) }

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

package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/examples/internal/bayes"
)

// Sentiment is the label the scorers put on a text.
type Sentiment string

// The sentiments.
const (
	Positive Sentiment = "positive"
	Negative Sentiment = "negative"
)

// Bayes is a two-class multinomial naive Bayes sentiment model with
// Laplace smoothing (package bayes), trained on bundled labelled
// sentences. Its score of a text is P(positive | text). It is immutable
// and safe for concurrent use.
type Bayes struct {
	model *bayes.Model[Sentiment] // Positive is label 0
}

// TrainBayes trains on positive and negative examples.
func TrainBayes(positive, negative []string) (*Bayes, error) {
	if len(positive) == 0 || len(negative) == 0 {
		return nil, errors.New("bayes: need examples of both classes")
	}
	var docs [][]string
	var labels []Sentiment
	for _, ex := range positive {
		docs, labels = append(docs, words(ex)), append(labels, Positive)
	}
	for _, ex := range negative {
		docs, labels = append(docs, words(ex)), append(labels, Negative)
	}
	m, err := bayes.Train(docs, labels)
	if err != nil {
		return nil, err
	}
	return &Bayes{model: m}, nil
}

// Score returns P(positive | text).
func (b *Bayes) Score(text string) float64 {
	return b.model.Probabilities(words(text))[0]
}

// Run scores a text.
func (b *Bayes) Run(ctx context.Context, text string) (float64, error) {
	return b.Score(text), ctx.Err()
}

// Describe reports the scorer as a local model node.
func (b *Bayes) Describe() chain.Node {
	return chain.Node{Kind: chain.KindModel, Name: "naive-bayes", Detail: fmt.Sprintf("sentiment, %d words", b.model.Vocabulary())}
}

// stopwords carry no sentiment, only noise on a small training set.
var stopwords = wordSet(`a an the and or but of to in on at for from by with is are was were be been it its
	this that my i me we our you your he she they them his her their one than because as so if which who
	what when after before about into over do does did have has had will would can could am just`)

func wordSet(ws string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(ws) {
		set[w] = true
	}
	return set
}

// words splits a text into lowercase words without stopwords, "not"
// joined to the next word ("not good" is one feature), which a bag of
// words otherwise loses.
func words(text string) []string {
	var out []string
	neg := false
	for _, f := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }) {
		switch {
		case f == "not" || f == "never" || f == "no" || strings.HasSuffix(f, "n't"):
			neg = true
			continue
		case stopwords[f]:
			continue
		case neg:
			f = "not_" + f
			neg = false
		}
		out = append(out, f)
	}
	return out
}

// lines returns the non-blank lines of a text.
func lines(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode"

	"github.com/chorus-go/chorus/chain"
)

// Sentiment is the label the scorers put on a text.
type Sentiment string

// The sentiments.
const (
	Positive Sentiment = "positive"
	Negative Sentiment = "negative"
)

// Bayes is a two-class multinomial naive Bayes sentiment model with
// Laplace smoothing, trained on bundled labelled sentences. Its score of
// a text is P(positive | text). It is immutable and safe for concurrent
// use.
type Bayes struct {
	logPrior [2]float64
	logLike  [2]map[string]float64
	logMiss  [2]float64
	vocab    map[string]bool
}

// TrainBayes trains on positive and negative examples.
func TrainBayes(positive, negative []string) (*Bayes, error) {
	if len(positive) == 0 || len(negative) == 0 {
		return nil, errors.New("bayes: need examples of both classes")
	}
	b := &Bayes{vocab: map[string]bool{}}
	counts := [2]map[string]int{{}, {}}
	totals := [2]int{}
	for c, examples := range [2][]string{positive, negative} {
		for _, ex := range examples {
			for _, w := range words(ex) {
				counts[c][w]++
				totals[c]++
				b.vocab[w] = true
			}
		}
		b.logPrior[c] = math.Log(float64(len(examples)) / float64(len(positive)+len(negative)))
	}
	for c := range 2 {
		denom := float64(totals[c] + len(b.vocab))
		b.logLike[c] = map[string]float64{}
		for w, n := range counts[c] {
			b.logLike[c][w] = math.Log(float64(n+1) / denom)
		}
		b.logMiss[c] = math.Log(1 / denom)
	}
	return b, nil
}

// Score returns P(positive | text).
func (b *Bayes) Score(text string) float64 {
	s := b.logPrior
	for _, w := range words(text) {
		if !b.vocab[w] {
			continue
		}
		for c := range 2 {
			if l, ok := b.logLike[c][w]; ok {
				s[c] += l
			} else {
				s[c] += b.logMiss[c]
			}
		}
	}
	return 1 / (1 + math.Exp(s[1]-s[0]))
}

// Run scores a text.
func (b *Bayes) Run(ctx context.Context, text string) (float64, error) {
	return b.Score(text), ctx.Err()
}

// Describe reports the scorer as a local model node.
func (b *Bayes) Describe() chain.Node {
	return chain.Node{Kind: chain.KindModel, Name: "naive-bayes", Detail: fmt.Sprintf("sentiment, %d words", len(b.vocab))}
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

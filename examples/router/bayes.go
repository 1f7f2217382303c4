package main

import (
	"context"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/chorus-go/chorus/chain"
)

// bayes is a multinomial naive Bayes text classifier with Laplace
// smoothing: a small classical model written in Go, trained at start-up on
// the bundled examples. It is a chain.Chain[string, L]. Unlike the model
// of examples/internal/bayes, it always answers, and a word no example
// had counts as unseen with every label.
type bayes[L ~string] struct {
	name     string
	labels   []L
	prior    map[L]float64            // log P(label)
	likely   map[L]map[string]float64 // log P(word | label)
	unseen   map[L]float64            // log P(unseen word | label)
	examples int
}

// trainBayes learns from texts and their labels.
func trainBayes[L ~string](name string, texts []string, labels []L) *bayes[L] {
	b := &bayes[L]{name: name, prior: map[L]float64{}, likely: map[L]map[string]float64{}, unseen: map[L]float64{}, examples: len(texts)}
	counts := map[L]map[string]int{}
	totals := map[L]int{}
	docs := map[L]int{}
	vocab := map[string]bool{}
	for i, text := range texts {
		l := labels[i]
		if counts[l] == nil {
			counts[l] = map[string]int{}
			b.labels = append(b.labels, l)
		}
		docs[l]++
		for _, w := range words(text) {
			counts[l][w]++
			totals[l]++
			vocab[w] = true
		}
	}
	v := float64(len(vocab))
	for _, l := range b.labels {
		b.prior[l] = math.Log(float64(docs[l]) / float64(len(texts)))
		b.likely[l] = map[string]float64{}
		denom := float64(totals[l]) + v
		for w, n := range counts[l] {
			b.likely[l][w] = math.Log((float64(n) + 1) / denom)
		}
		b.unseen[l] = math.Log(1 / denom)
	}
	return b
}

// Run returns the most probable label of the text.
func (b *bayes[L]) Run(ctx context.Context, text string) (L, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	ws := words(text)
	var best L
	bestScore := math.Inf(-1)
	for _, l := range b.labels {
		score := b.prior[l]
		for _, w := range ws {
			if p, ok := b.likely[l][w]; ok {
				score += p
			} else {
				score += b.unseen[l]
			}
		}
		if score > bestScore {
			best, bestScore = l, score
		}
	}
	return best, nil
}

// Describe shows the classifier as a model node.
func (b *bayes[L]) Describe() chain.Node {
	return chain.Node{Kind: chain.KindModel, Name: b.name, Detail: strconv.Itoa(b.examples) + " examples"}
}

// stopWords carry no information about the animal.
var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "and": true, "of": true, "in": true, "on": true, "at": true, "to": true,
	"its": true, "it": true, "with": true, "by": true, "we": true, "us": true, "from": true, "into": true, "was": true,
	"then": true, "when": true, "as": true, "so": true, "that": true, "for": true, "all": true, "our": true,
}

// words splits a text into lower-case words, without stop words, with a
// crude plural stemming so that "wings" counts as "wing".
func words(text string) []string {
	fields := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) })
	out := fields[:0]
	for _, w := range fields {
		if stopWords[w] || len(w) < 2 {
			continue
		}
		if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
			w = w[:len(w)-1]
		}
		out = append(out, w)
	}
	return out
}

package doctype

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/chorus-go/chorus/chain"
)

// NaiveBayes is a multinomial naive Bayes text classifier with Laplace
// (add-one) smoothing: a plain Go model, trained in microseconds on a few
// labelled examples. It is a chain.Chain[string, Type], so it votes
// next to the language models. It is immutable once trained and safe for
// concurrent use.
type NaiveBayes struct {
	labels   []Type
	logPrior []float64
	logLike  []map[string]float64 // per label: log P(word | label)
	logMiss  []float64            // per label: log P(word | label) of a word never seen with it
	vocab    map[string]bool
	examples int
}

// TrainNaiveBayes counts words per label: P(label) is the share of
// examples with the label and P(word | label) = (count + 1) / (words of
// the label + vocabulary size).
func TrainNaiveBayes(examples []Example) (*NaiveBayes, error) {
	if len(examples) == 0 {
		return nil, errors.New("naive bayes: no training examples")
	}
	nb := &NaiveBayes{vocab: map[string]bool{}, examples: len(examples)}
	index := map[Type]int{}
	var docs []int
	var counts []map[string]int
	var totals []int
	for _, ex := range examples {
		i, ok := index[ex.Label]
		if !ok {
			i = len(nb.labels)
			index[ex.Label] = i
			nb.labels = append(nb.labels, ex.Label)
			docs = append(docs, 0)
			counts = append(counts, map[string]int{})
			totals = append(totals, 0)
		}
		docs[i]++
		for _, w := range tokens(ex.Text) {
			counts[i][w]++
			totals[i]++
			nb.vocab[w] = true
		}
	}
	v := float64(len(nb.vocab))
	for i := range nb.labels {
		nb.logPrior = append(nb.logPrior, math.Log(float64(docs[i])/float64(len(examples))))
		denom := float64(totals[i]) + v
		like := make(map[string]float64, len(counts[i]))
		for w, c := range counts[i] {
			like[w] = math.Log((float64(c) + 1) / denom)
		}
		nb.logLike = append(nb.logLike, like)
		nb.logMiss = append(nb.logMiss, math.Log(1/denom))
	}
	return nb, nil
}

// Probabilities returns P(label | text) for each label, in Labels order.
func (nb *NaiveBayes) Probabilities(text string) []float64 {
	words := tokens(text)
	logs := make([]float64, len(nb.labels))
	for i := range nb.labels {
		s := nb.logPrior[i]
		for _, w := range words {
			if !nb.vocab[w] {
				continue // a word no example had says nothing
			}
			if l, ok := nb.logLike[i][w]; ok {
				s += l
			} else {
				s += nb.logMiss[i]
			}
		}
		logs[i] = s
	}
	// Softmax, shifted by the maximum so that exp does not underflow.
	top := slices.Max(logs)
	sum := 0.0
	for i, l := range logs {
		logs[i] = math.Exp(l - top)
		sum += logs[i]
	}
	for i := range logs {
		logs[i] /= sum
	}
	return logs
}

// Labels returns the labels the classifier learnt, in training order.
func (nb *NaiveBayes) Labels() []Type { return slices.Clone(nb.labels) }

// Classify returns the most probable label and its probability.
func (nb *NaiveBayes) Classify(text string) (Type, float64) {
	p := nb.Probabilities(text)
	best := argmax(p)
	return nb.labels[best], p[best]
}

// argmax returns the index of the largest probability, the first of equals.
func argmax(p []float64) int {
	best := 0
	for i := range p {
		if p[i] > p[best] {
			best = i
		}
	}
	return best
}

// Run classifies text; a text with no word the classifier knows is an
// error, so its ballot does not count.
func (nb *NaiveBayes) Run(ctx context.Context, text string) (Type, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if !nb.knows(text) {
		return "", errNoKnownWord
	}
	label, _ := nb.Classify(text)
	return label, nil
}

// errNoKnownWord is the answer to a text of words no example had.
var errNoKnownWord = errors.New("naive bayes: no known word in the text")

// knows reports whether text has a word the classifier learnt.
func (nb *NaiveBayes) knows(text string) bool {
	for _, w := range tokens(text) {
		if nb.vocab[w] {
			return true
		}
	}
	return false
}

// Describe reports the classifier as a local model node.
func (nb *NaiveBayes) Describe() chain.Node {
	return chain.Node{Kind: chain.KindModel, Name: "naive-bayes", Detail: fmt.Sprintf("%d examples, %d words", nb.examples, len(nb.vocab))}
}

// tokens splits a text into lowercase words of two letters or more; a
// word holding a digit becomes "<num>", since amounts and dates say
// something about a document's kind but their values do not.
func tokens(text string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		switch {
		case strings.IndexFunc(f, unicode.IsDigit) >= 0:
			out = append(out, "<num>")
		case len([]rune(f)) >= 2:
			out = append(out, f)
		}
	}
	return out
}

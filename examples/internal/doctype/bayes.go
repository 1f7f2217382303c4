package doctype

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/examples/internal/bayes"
)

// NaiveBayes is a multinomial naive Bayes text classifier with Laplace
// (add-one) smoothing (package bayes): a plain Go model, trained in
// microseconds on a few labelled examples. It is a chain.Chain[string,
// Type], so it votes next to the language models. It is immutable once
// trained and safe for concurrent use.
type NaiveBayes struct {
	model    *bayes.Model[Type]
	labels   []Type
	examples int
}

// TrainNaiveBayes counts words per label: P(label) is the share of
// examples with the label and P(word | label) = (count + 1) / (words of
// the label + vocabulary size).
func TrainNaiveBayes(examples []Example) (*NaiveBayes, error) {
	docs := make([][]string, len(examples))
	labels := make([]Type, len(examples))
	for i, ex := range examples {
		docs[i], labels[i] = tokens(ex.Text), ex.Label
	}
	m, err := bayes.Train(docs, labels)
	if err != nil {
		return nil, err
	}
	return &NaiveBayes{model: m, labels: m.Labels(), examples: len(examples)}, nil
}

// Probabilities returns P(label | text) for each label, in Labels order.
func (nb *NaiveBayes) Probabilities(text string) []float64 {
	return nb.model.Probabilities(tokens(text))
}

// Labels returns the labels the classifier learnt, in training order.
func (nb *NaiveBayes) Labels() []Type { return nb.model.Labels() }

// Classify returns the most probable label and its probability.
func (nb *NaiveBayes) Classify(text string) (Type, float64) {
	label, best, p := nb.model.Classify(tokens(text))
	return label, p[best]
}

// Run classifies text; a text with no word the classifier knows is an
// error, so its ballot does not count.
func (nb *NaiveBayes) Run(ctx context.Context, text string) (Type, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	words := tokens(text)
	if !nb.model.Knows(words) {
		return "", errNoKnownWord
	}
	label, _, _ := nb.model.Classify(words)
	return label, nil
}

// errNoKnownWord is the answer to a text of words no example had.
var errNoKnownWord = errors.New("naive bayes: no known word in the text")

// Describe reports the classifier as a local model node.
func (nb *NaiveBayes) Describe() chain.Node {
	return chain.Node{Kind: chain.KindModel, Name: "naive-bayes", Detail: fmt.Sprintf("%d examples, %d words", nb.examples, nb.model.Vocabulary())}
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

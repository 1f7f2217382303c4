package doctype

import (
	"context"
	"fmt"
	"slices"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/eval"
)

// Scored returns the classifier as a scorer of one class against the
// others, for eval.EvaluateScored and eval.Collect: its answer is the most
// probable label (as Run's) and its score the posterior P(positive | text)
// of Probabilities, which traces a one-vs-rest ROC curve. A text with no
// known word is an error, as for Run.
func (nb *NaiveBayes) Scored(positive Type) (chain.Chain[string, eval.Scored[Type]], error) {
	i := slices.Index(nb.labels, positive)
	if i < 0 {
		return nil, fmt.Errorf("naive bayes: no class %q among %v", positive, nb.labels)
	}
	return scorer{nb: nb, positive: i}, nil
}

// scorer is a NaiveBayes scoring its label number positive.
type scorer struct {
	nb       *NaiveBayes
	positive int
}

func (s scorer) Run(ctx context.Context, text string) (eval.Scored[Type], error) {
	if err := ctx.Err(); err != nil {
		return eval.Scored[Type]{}, err
	}
	words := tokens(text)
	if !s.nb.model.Knows(words) {
		return eval.Scored[Type]{}, errNoKnownWord
	}
	label, _, p := s.nb.model.Classify(words)
	return eval.Scored[Type]{Label: label, Score: p[s.positive]}, nil
}

func (s scorer) Describe() chain.Node {
	n := s.nb.Describe()
	n.Detail = fmt.Sprintf("P(%s | text); %s", s.nb.labels[s.positive], n.Detail)
	return n
}

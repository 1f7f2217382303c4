package main

import (
	"context"
	"fmt"
	"slices"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/eval"
	"github.com/chorus-go/chorus/examples/internal/doctype"
)

// Example is one labelled document of the evaluation set.
type Example = eval.Example[string, doctype.Type]

// Result is what an evaluation found.
type Result struct {
	// Report is the ensemble's, with one report per member.
	Report *eval.Report `json:"report"`
	// Best is the member with the best accuracy: the champion the
	// ensemble is compared with.
	Best       string           `json:"best_member"`
	Comparison *eval.Comparison `json:"comparison"`
	// ROC is naive Bayes's one-vs-rest ROC curve for one class.
	ROC *ROC `json:"roc"`
}

// options are the evaluation's options: a member that fails (the rules
// finding no keyword) counts as wrong, as it does in Compare, so members
// and ensemble are measured alike.
var options = []eval.Option{eval.ErrorsAsWrong()}

// evaluate measures the document-type vote of docanalysis on data: the
// keyword rules, naive Bayes trained on the bundled texts and the models,
// weighted as docanalysis weighs them. It compares the ensemble with its
// best member on the same examples and traces naive Bayes's ROC curve
// for class.
func evaluate(ctx context.Context, data []Example, class doctype.Type, models []doctype.Model) (*Result, error) {
	training, err := doctype.Training()
	if err != nil {
		return nil, err
	}
	nb, err := doctype.TrainNaiveBayes(training)
	if err != nil {
		return nil, err
	}
	members := doctype.Members(nb, models...)
	vote := chain.Named("ensemble", doctype.Vote(members))

	report, err := eval.EvaluateVote(ctx, vote, data, options...)
	if err != nil {
		return nil, err
	}
	best := bestMember(report)
	i := slices.IndexFunc(members, func(m doctype.Member) bool { return m.Name == best })
	if i < 0 {
		return nil, fmt.Errorf("no member %q in the vote", best)
	}
	champion := chain.Named(best, members[i].Classifier)
	cmp, err := eval.Compare(ctx, champion, chain.Winner(vote), data, options...)
	if err != nil {
		return nil, err
	}
	roc, err := bayesROC(ctx, nb, data, class)
	if err != nil {
		return nil, err
	}
	return &Result{Report: report, Best: best, Comparison: cmp, ROC: roc}, nil
}

// bestMember names the member with the highest accuracy, then macro F1;
// the first of equals.
func bestMember(r *eval.Report) string {
	var best *eval.Report
	for _, m := range r.Members {
		if best == nil || better(m.Classification, best.Classification) {
			best = m
		}
	}
	if best == nil {
		return ""
	}
	return best.Name
}

func better(a, b *eval.Classification) bool {
	if a.Accuracy.Value != b.Accuracy.Value {
		return a.Accuracy.Value > b.Accuracy.Value
	}
	return a.F1.Macro.Value > b.F1.Macro.Value
}

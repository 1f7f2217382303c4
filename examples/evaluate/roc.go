package main

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/chorus-go/chorus/chain/eval"
	"github.com/chorus-go/chorus/examples/internal/doctype"
)

// ROC is a one-vs-rest ROC curve: how well a model's score for Class
// tells the examples of Class from all others, at every threshold.
type ROC struct {
	Model string `json:"model"`
	Class string `json:"class"`
	// Positives and Negatives count the scored examples of Class and of
	// the other classes.
	Positives int `json:"positives"`
	Negatives int `json:"negatives"`
	// AUC is the area under the curve with its bootstrap interval.
	AUC eval.Estimate `json:"auc"`
	// Points run from (0, 0) to (1, 1), one per distinct score, the
	// threshold falling from the highest score to the lowest.
	Points []Point `json:"points"`
}

// Point is one threshold's false and true positive rates.
type Point struct {
	FPR float64 `json:"fpr"`
	TPR float64 `json:"tpr"`
}

// bayesROC scores every example with naive Bayes's posterior of class and
// traces the ROC curve of those scores; a text naive Bayes cannot score
// (no known word) is left out.
func bayesROC(ctx context.Context, nb *doctype.NaiveBayes, data []Example, class doctype.Type) (*ROC, error) {
	scorer, err := nb.Scored(class)
	if err != nil {
		return nil, err
	}
	inputs := make([]string, len(data))
	want := make([]doctype.Type, len(data))
	for i, e := range data {
		inputs[i], want[i] = e.Input, e.Want
	}
	outs, err := eval.Collect(ctx, scorer, inputs)
	if err != nil {
		return nil, err
	}
	report, err := eval.ScoreBinary(want, outs, class)
	if err != nil {
		return nil, err
	}
	var scores []float64
	var positive []bool
	for i, o := range outs {
		if o.Err == nil {
			scores = append(scores, o.Output.Score)
			positive = append(positive, want[i] == class)
		}
	}
	r := curve(scores, positive)
	if report.Classification.ROCAUC == nil || r.Positives == 0 || r.Negatives == 0 {
		return nil, fmt.Errorf("ROC of %s: the set needs examples of %s and of other types", class, class)
	}
	r.Model, r.Class, r.AUC = "naive-bayes", string(class), *report.Classification.ROCAUC
	return r, nil
}

// curve returns the ROC curve of scores: lowering the threshold past each
// distinct score adds one point, so tied scores make a diagonal step.
func curve(scores []float64, positive []bool) *ROC {
	order := make([]int, len(scores))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(scores[b], scores[a]) })
	r := &ROC{}
	for _, p := range positive {
		if p {
			r.Positives++
		} else {
			r.Negatives++
		}
	}
	r.Points = []Point{{0, 0}}
	tp, fp := 0, 0
	for k, i := range order {
		if positive[i] {
			tp++
		} else {
			fp++
		}
		if k+1 < len(order) && scores[order[k+1]] == scores[i] {
			continue // the same threshold
		}
		r.Points = append(r.Points, Point{FPR: rate(fp, r.Negatives), TPR: rate(tp, r.Positives)})
	}
	return r
}

func rate(k, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(k) / float64(n)
}

// Area returns the area under the points by the trapezoid rule: the AUC,
// ties counting one half.
func (r *ROC) Area() float64 {
	a := 0.0
	for i := 1; i < len(r.Points); i++ {
		p, q := r.Points[i-1], r.Points[i]
		a += (q.FPR - p.FPR) * (p.TPR + q.TPR) / 2
	}
	return a
}

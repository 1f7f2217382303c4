package eval

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/chorus-go/chorus/chain"
)

// Scored is a classifier's answer with a score that rises with how likely
// the positive class is (a probability, a confidence, a logit), as
// EvaluateScored reads it.
type Scored[L comparable] struct {
	Label L       `json:"label"`
	Score float64 `json:"score"`
}

// Threshold turns a chain that returns a score into a scored binary
// classifier: the label is score >= t. Evaluate it with EvaluateScored and
// positive true.
func Threshold[In any](c chain.Chain[In, float64], t float64) chain.Chain[In, Scored[bool]] {
	if c == nil {
		panic(configError("Threshold", "nil chain"))
	}
	return threshold[In]{c: c, t: t}
}

type threshold[In any] struct {
	c chain.Chain[In, float64]
	t float64
}

func (th threshold[In]) Run(ctx context.Context, in In) (Scored[bool], error) {
	s, err := th.c.Run(ctx, in)
	if err != nil {
		return Scored[bool]{}, err
	}
	return Scored[bool]{Label: s >= th.t, Score: s}, nil
}

func (th threshold[In]) Describe() chain.Node {
	n := chain.Describe(th.c)
	n.Detail = fmt.Sprintf("threshold %g", th.t)
	return n
}

// AUC returns the area under the ROC curve of scores for telling the
// examples marked positive from the others: the probability that a random
// positive scores above a random negative, ties counting one half (the
// Mann–Whitney U statistic over the number of pairs). ok is false when
// there are no positives or no negatives, or the lengths differ. NaN
// scores are left out.
func AUC(scores []float64, positive []bool) (auc float64, ok bool) {
	if len(scores) != len(positive) {
		return 0, false
	}
	r := newROC(scores, positive)
	if r == nil {
		return 0, false
	}
	return r.auc(nil), true
}

// roc holds examples sorted by score, so the AUC of any weighting of them
// (a bootstrap resample) takes one pass.
type roc struct {
	order []int // example indices by ascending score
	score []float64
	pos   []bool
	ends  []int // ends[g] is the end, in order, of tie group g
	npos  int
	nneg  int
}

func newROC(scores []float64, positive []bool) *roc {
	r := &roc{score: scores, pos: positive}
	for i, s := range scores {
		if math.IsNaN(s) {
			continue
		}
		r.order = append(r.order, i)
		if positive[i] {
			r.npos++
		} else {
			r.nneg++
		}
	}
	if r.npos == 0 || r.nneg == 0 {
		return nil
	}
	slices.SortFunc(r.order, func(a, b int) int { return compareFloat(scores[a], scores[b]) })
	for k := 1; k <= len(r.order); k++ {
		if k == len(r.order) || scores[r.order[k]] != scores[r.order[k-1]] {
			r.ends = append(r.ends, k)
		}
	}
	return r
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// auc returns the AUC with example i counted weight[i] times (once each
// when weight is nil).
func (r *roc) auc(weight []float64) float64 {
	w := func(i int) float64 {
		if weight == nil {
			return 1
		}
		return weight[i]
	}
	var sum, negBelow, totPos, totNeg float64
	start := 0
	for _, end := range r.ends {
		var p, n float64
		for _, i := range r.order[start:end] {
			if r.pos[i] {
				p += w(i)
			} else {
				n += w(i)
			}
		}
		// Each positive in the group beats the negatives below it and
		// ties with the negatives in it.
		sum += p * (negBelow + n/2)
		negBelow += n
		totPos += p
		totNeg += n
		start = end
	}
	if totPos == 0 || totNeg == 0 {
		return math.NaN()
	}
	return sum / (totPos * totNeg)
}

// interval returns the AUC with a stratified percentile bootstrap
// interval: each resample draws as many positives and negatives as there
// are, so every resample has both.
func (r *roc) interval(cfg config) Estimate {
	v := r.auc(nil)
	n := r.npos + r.nneg
	if cfg.resamples < 1 {
		return point(v, n, cfg.level)
	}
	var pos, neg []int
	for _, i := range r.order {
		if r.pos[i] {
			pos = append(pos, i)
		} else {
			neg = append(neg, i)
		}
	}
	vals := make([]float64, cfg.resamples)
	replicate(cfg.resamples, cfg.seed, func() func(int, *rand.PCG) {
		weight := make([]float64, len(r.score))
		return func(b int, rng *rand.PCG) {
			clear(weight)
			for range len(pos) {
				weight[pos[draw(rng, len(pos))]]++
			}
			for range len(neg) {
				weight[neg[draw(rng, len(neg))]]++
			}
			vals[b] = r.auc(weight)
		}
	})
	return percentile(v, vals, n, cfg.level)
}

// scoreBinary computes the report of a scored classifier's outcomes.
func scoreBinary[L comparable](want []L, got []Outcome[Scored[L]], positive L, cfg config) *Report {
	labels := make([]Outcome[L], len(got))
	var scores []float64
	var isPos []bool
	for i, o := range got {
		labels[i] = Outcome[L]{Output: o.Output.Label, Err: o.Err, Latency: o.Latency}
		if o.Err == nil {
			scores = append(scores, o.Output.Score)
			isPos = append(isPos, want[i] == positive)
		}
	}
	r := scoreLabels(want, labels, cfg)
	r.Classification.Positive = fmt.Sprint(positive)
	if roc := newROC(scores, isPos); roc != nil {
		e := roc.interval(cfg)
		r.Classification.ROCAUC = &e
	}
	return r
}

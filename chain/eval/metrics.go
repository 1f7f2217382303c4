package eval

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/internal/stats"
)

// Classification holds the quality metrics of a classifier.
//
// Precision of a class is TP/(TP+FP), recall TP/(TP+FN) and F1
// 2TP/(2TP+FP+FN); each is 0 when its denominator is 0 (as scikit-learn's
// zero_division=0). Macro averages are the unweighted means over the
// labels among the scored examples (wanted or answered: a label whose
// every example failed is left out unless ErrorsAsWrong); micro averages pool the counts of all
// classes, so micro precision is the share of answers that were right and
// micro recall equals Accuracy. Accuracy, the per-class precision and
// recall, and the micro precision and recall have Wilson intervals; F1,
// the macro averages, micro F1 and ROC-AUC have percentile bootstrap
// intervals.
type Classification struct {
	Labels    []string       `json:"labels"`
	Accuracy  Estimate       `json:"accuracy"`
	Precision Averages       `json:"precision"`
	Recall    Averages       `json:"recall"`
	F1        Averages       `json:"f1"`
	Classes   []ClassMetrics `json:"classes"`
	Confusion Confusion      `json:"confusion"`
	// Positive and ROCAUC are set by EvaluateScored when both the
	// positive class and some other class are among the wanted labels.
	Positive string    `json:"positive,omitempty"`
	ROCAUC   *Estimate `json:"roc_auc,omitempty"`
}

// Averages is a metric averaged over classes two ways.
type Averages struct {
	Macro Estimate `json:"macro"`
	Micro Estimate `json:"micro"`
}

// ClassMetrics are one class's metrics. Support is the number of examples
// that want the class; Predicted the number of answers that gave it.
type ClassMetrics struct {
	Label     string   `json:"label"`
	Support   int      `json:"support"`
	Predicted int      `json:"predicted"`
	Precision Estimate `json:"precision"`
	Recall    Estimate `json:"recall"`
	F1        Estimate `json:"f1"`
}

// Regression holds the error metrics of a numeric output, over the
// examples that answered (a NaN or infinite answer counts as a failure,
// ErrNotFinite): MAE is the mean of |got - want| (t interval),
// RMSE the square root of the mean of (got - want)² (bootstrap interval)
// and Bias the mean of got - want (t interval).
type Regression struct {
	MAE  Estimate `json:"mae"`
	RMSE Estimate `json:"rmse"`
	Bias Estimate `json:"bias"`
}

// summary writes the statistics that need the bootstrap, from one
// confusion matrix: macro precision, recall and F1, micro F1, then each
// class's F1.
func summary(c *counts, errorsAsWrong bool, dst []float64) {
	var sp, sr, sf float64
	var tps, preds, acts, k int
	for i := range c.k {
		tp, pred, act := c.class(i, errorsAsWrong)
		f1 := stats.Ratio(2*tp, pred+act)
		dst[4+i] = f1
		if pred+act == 0 {
			// Not among the scored examples (or not drawn in a
			// resample): F1 is undefined, and the class takes no part in
			// the averages.
			dst[4+i] = math.NaN()
			continue
		}
		k++
		sp += stats.Ratio(tp, pred)
		sr += stats.Ratio(tp, act)
		sf += f1
		tps, preds, acts = tps+tp, preds+pred, acts+act
	}
	kf := float64(max(k, 1))
	dst[0], dst[1], dst[2], dst[3] = sp/kf, sr/kf, sf/kf, stats.Ratio(2*tps, preds+acts)
}

// scoreLabels computes the report of a classifier's outcomes.
func scoreLabels[L comparable](want []L, got []Outcome[L], cfg config) *Report {
	r := newReport(got, cfg)
	set := newLabelSet(want, got)
	w, g := set.pairs(want, got)
	r.Classification = classify(set.names, w, g, cfg)
	return r
}

// classify computes the classification metrics from label indices.
func classify(names []string, w, g []int, cfg config) *Classification {
	k := len(names)
	c := newCounts(k)
	for i := range w {
		c.add(w[i], g[i])
	}
	stats := make([]float64, 4+k)
	summary(c, cfg.errorsAsWrong, stats)
	boot := bootstrapSummary(w, g, k, cfg)
	est := func(j, n int) Estimate {
		v := stats[j]
		if math.IsNaN(v) {
			v = 0 // a class with no scored example: F1 0, as scikit-learn
		}
		if boot == nil {
			return point(v, n, cfg.level)
		}
		return percentile(v, boot[j], n, cfg.level)
	}

	var tps, preds, acts int
	classes := make([]ClassMetrics, k)
	for i := range k {
		tp, pred, act := c.class(i, cfg.errorsAsWrong)
		tps, preds, acts = tps+tp, preds+pred, acts+act
		support := c.errs[i]
		for j := range k {
			support += c.cm[i*k+j]
		}
		classes[i] = ClassMetrics{
			Label:     names[i],
			Support:   support,
			Predicted: pred,
			Precision: Wilson(tp, pred, cfg.level),
			Recall:    Wilson(tp, act, cfg.level),
			F1:        est(4+i, pred+act),
		}
	}
	n := preds // the answered examples
	if cfg.errorsAsWrong {
		n = acts
	}
	return &Classification{
		Labels:    names,
		Accuracy:  Wilson(tps, acts, cfg.level),
		Precision: Averages{Macro: est(0, n), Micro: Wilson(tps, preds, cfg.level)},
		Recall:    Averages{Macro: est(1, n), Micro: Wilson(tps, acts, cfg.level)},
		F1:        Averages{Macro: est(2, n), Micro: est(3, n)},
		Classes:   classes,
		Confusion: c.confusion(names),
	}
}

// bootstrapSummary resamples the examples and returns, for each statistic
// of summary, its value on every resample (nil when the bootstrap is off).
// One resample costs one pass of n random draws whatever the number of
// statistics: each example is reduced beforehand to the cell of the
// confusion matrix it adds to.
func bootstrapSummary(w, g []int, k int, cfg config) [][]float64 {
	n := len(w)
	if cfg.resamples < 1 || n == 0 {
		return nil
	}
	cells := make([]int32, n)
	for i := range w {
		if g[i] < 0 {
			cells[i] = int32(k*k + w[i]) // the errors follow the matrix
		} else {
			cells[i] = int32(w[i]*k + g[i])
		}
	}
	boot := make([][]float64, 4+k)
	for j := range boot {
		boot[j] = make([]float64, cfg.resamples)
	}
	replicate(cfg.resamples, cfg.seed, func() func(int, *rand.PCG) {
		c := newCounts(k)
		stats := make([]float64, 4+k)
		return func(b int, rng *rand.PCG) {
			clear(c.flat)
			for range n {
				c.flat[cells[draw(rng, n)]]++
			}
			summary(c, cfg.errorsAsWrong, stats)
			for j, s := range stats {
				boot[j][b] = s
			}
		}
	})
	return boot
}

// scoreNumbers computes the report of a numeric chain's outcomes.
func scoreNumbers[N chain.Number](want []N, got []Outcome[N], cfg config) *Report {
	got = finiteOnly(got)
	r := newReport(got, cfg)
	var errs []float64
	for i, o := range got {
		if o.Err == nil {
			errs = append(errs, float64(o.Output)-float64(want[i]))
		}
	}
	r.Regression = regress(errs, cfg)
	return r
}

// ErrNotFinite marks a numeric answer that was NaN or infinite: it counts
// as a failed example.
var ErrNotFinite = errors.New("eval: answer is not a finite number")

// finiteOnly returns the outcomes with NaN and infinite answers turned
// into failures, so that they cannot poison the means.
func finiteOnly[N chain.Number](got []Outcome[N]) []Outcome[N] {
	var out []Outcome[N]
	for i, o := range got {
		if x := float64(o.Output); o.Err == nil && (math.IsNaN(x) || math.IsInf(x, 0)) {
			if out == nil {
				out = slices.Clone(got)
			}
			out[i].Err = fmt.Errorf("%w: %v", ErrNotFinite, x)
		}
	}
	if out == nil {
		return got
	}
	return out
}

// regress computes the regression metrics from the signed errors.
func regress(errs []float64, cfg config) *Regression {
	abs := make([]float64, len(errs))
	for i, e := range errs {
		abs[i] = math.Abs(e)
	}
	n := len(errs)
	sq := make([]float64, n)
	var ss float64
	for i, e := range errs {
		sq[i] = e * e
		ss += sq[i]
	}
	rmse := point(0, 0, cfg.level)
	if n > 0 {
		rmse = point(math.Sqrt(ss/float64(n)), n, cfg.level)
	}
	if n > 0 && cfg.resamples > 0 {
		boot := make([]float64, cfg.resamples)
		replicate(cfg.resamples, cfg.seed, func() func(int, *rand.PCG) {
			return func(b int, rng *rand.PCG) {
				var s float64
				for range n {
					s += sq[draw(rng, n)]
				}
				boot[b] = math.Sqrt(s / float64(n))
			}
		})
		rmse = percentile(rmse.Value, boot, n, cfg.level)
	}
	return &Regression{
		MAE:  MeanInterval(abs, cfg.level),
		RMSE: rmse,
		Bias: MeanInterval(errs, cfg.level),
	}
}

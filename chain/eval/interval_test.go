package eval_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/chorus-go/chorus/chain/eval"
)

// Wilson's interval for 8 of 10 at 95%, by hand (z = 1.959964, z² = 3.841459):
//
//	centre = (0.8 + z²/20) / (1 + z²/10)            = 0.99207/1.38415 = 0.716737
//	half   = z/(1+z²/10) · sqrt(0.8·0.2/10 + z²/400) = 1.416009 · 0.160011 = 0.226577
//	-> [0.490160, 0.943314]
func TestWilsonKnownAnswer(t *testing.T) {
	e := eval.Wilson(8, 10, 0.95)
	near(t, "value", e.Value, 0.8, 1e-12)
	near(t, "lower", e.Lower, 0.490160, 1e-5)
	near(t, "upper", e.Upper, 0.943314, 1e-5)
	if e.Method != eval.MethodWilson || e.N != 10 || e.Level != 0.95 {
		t.Errorf("estimate = %+v", e)
	}
	// The edges stay inside [0, 1]: 0 of 10 gives [0, z²/(n+z²)] = [0, 0.277533].
	e = eval.Wilson(0, 10, 0.95)
	near(t, "lower at 0", e.Lower, 0, 1e-12)
	near(t, "upper at 0", e.Upper, 3.841459/13.841459, 1e-5)
	if e = eval.Wilson(0, 0, 0.95); e.Lower != 0 || e.Upper != 1 {
		t.Errorf("Wilson(0, 0) = %v, want [0, 1]", e)
	}
}

// Student's t interval of 1 2 3 4 5 by hand: mean 3, s = sqrt(2.5) =
// 1.581139, se = 0.707107, t(0.975, 4) = 2.776445, half-width 1.963243.
func TestMeanIntervalKnownAnswer(t *testing.T) {
	e := eval.MeanInterval([]float64{1, 2, 3, 4, 5}, 0.95)
	near(t, "mean", e.Value, 3, 1e-12)
	near(t, "lower", e.Lower, 3-1.963243, 1e-5)
	near(t, "upper", e.Upper, 3+1.963243, 1e-5)
	// t(0.975, 1) = 12.706205: values 0 and 2 have mean 1, s = sqrt(2), se = 1.
	e = eval.MeanInterval([]float64{0, 2}, 0.95)
	near(t, "upper, 1 df", e.Upper, 1+12.706205, 1e-4)
	// t(0.95, 10) = 1.812461 at 90%: eleven values, s chosen as sqrt(11)
	// so that se = 1.
	xs := []float64{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	xs[0], xs[1] = math.Sqrt(55), -math.Sqrt(55) // sum of squares 110, s² = 110/10
	e = eval.MeanInterval(xs, 0.90)
	near(t, "upper, 10 df at 90%", e.Upper, 1.812461, 1e-5)
	if e := eval.MeanInterval([]float64{7}, 0.95); e.Method != eval.MethodNone || e.Value != 7 {
		t.Errorf("one value: %+v", e)
	}
}

// coverage draws trials datasets of n Bernoulli(p) outcomes, builds an
// interval for each, and returns the share that contained p.
func coverage(trials, n int, p float64, seed uint64, interval func(xs []float64, k int) eval.Estimate) float64 {
	rng := rand.New(rand.NewPCG(seed, 7))
	hits := 0
	xs := make([]float64, n)
	for range trials {
		k := 0
		for i := range xs {
			xs[i] = 0
			if rng.Float64() < p {
				xs[i], k = 1, k+1
			}
		}
		if interval(xs, k).Contains(p) {
			hits++
		}
	}
	return float64(hits) / float64(trials)
}

func TestWilsonCoverage(t *testing.T) {
	for _, n := range []int{20, 100, 400} {
		for _, p := range []float64{0.1, 0.5, 0.85} {
			c := coverage(2000, n, p, uint64(n)*100+uint64(p*100), func(_ []float64, k int) eval.Estimate {
				return eval.Wilson(k, n, 0.95)
			})
			t.Logf("Wilson n=%d p=%.2f: coverage %.3f", n, p, c)
			if c < 0.90 || c > 0.99 {
				t.Errorf("Wilson n=%d p=%.2f covered p in %.1f%% of trials, want 90-99%%", n, p, 100*c)
			}
		}
	}
}

func TestBootstrapCoverage(t *testing.T) {
	for _, tc := range []struct {
		n int
		p float64
	}{{60, 0.7}, {150, 0.3}} {
		seed := uint64(0)
		c := coverage(300, tc.n, tc.p, uint64(tc.n), func(xs []float64, _ int) eval.Estimate {
			seed++
			return eval.Bootstrap(len(xs), 200, seed, 0.95, func(idx []int) float64 {
				s := 0.0
				for _, i := range idx {
					s += xs[i]
				}
				return s / float64(len(idx))
			})
		})
		t.Logf("bootstrap n=%d p=%.2f: coverage %.3f", tc.n, tc.p, c)
		if c < 0.90 || c > 0.99 {
			t.Errorf("bootstrap n=%d p=%.2f covered p in %.1f%% of trials, want 90-99%%", tc.n, tc.p, 100*c)
		}
	}
}

func TestMeanIntervalCoverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const trials, n, mu = 2000, 12, 5.0
	hits := 0
	xs := make([]float64, n)
	for range trials {
		for i := range xs {
			xs[i] = mu + 2*rng.NormFloat64()
		}
		if eval.MeanInterval(xs, 0.95).Contains(mu) {
			hits++
		}
	}
	if c := float64(hits) / trials; c < 0.92 || c > 0.98 {
		t.Errorf("t interval covered the mean in %.1f%% of trials, want about 95%%", 100*c)
	}
}

func TestIntervalsShrinkWithN(t *testing.T) {
	prev := map[string]float64{"wilson": 2, "t": math.Inf(1), "bootstrap": 2}
	for _, n := range []int{25, 100, 400, 1600} {
		// Data with a fixed 30% of ones, so only n changes.
		xs := make([]float64, n)
		k := 0
		for i := range xs {
			if i%10 < 3 {
				xs[i], k = 1, k+1
			}
		}
		mean := func(idx []int) float64 {
			s := 0.0
			for _, i := range idx {
				s += xs[i]
			}
			return s / float64(len(idx))
		}
		widths := map[string]eval.Estimate{
			"wilson":    eval.Wilson(k, n, 0.95),
			"t":         eval.MeanInterval(xs, 0.95),
			"bootstrap": eval.Bootstrap(n, 400, 1, 0.95, mean),
		}
		for name, e := range widths {
			ordered(t, name, e)
			if e.Width() >= prev[name] {
				t.Errorf("%s width at n=%d is %.4f, not below %.4f at the previous n", name, n, e.Width(), prev[name])
			}
			prev[name] = e.Width()
		}
	}
}

func TestBootstrapSeeded(t *testing.T) {
	xs := []float64{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5}
	mean := func(idx []int) float64 {
		s := 0.0
		for _, i := range idx {
			s += xs[i]
		}
		return s / float64(len(idx))
	}
	a := eval.Bootstrap(len(xs), 300, 42, 0.95, mean)
	b := eval.Bootstrap(len(xs), 300, 42, 0.95, mean)
	c := eval.Bootstrap(len(xs), 300, 43, 0.95, mean)
	if a != b {
		t.Errorf("same seed, different intervals: %v and %v", a, b)
	}
	if a == c {
		t.Errorf("different seeds, same interval %v", a)
	}
	near(t, "point", a.Value, 44.0/11, 1e-12)
	if e := eval.Bootstrap(len(xs), 0, 1, 0.95, mean); e.Method != eval.MethodNone {
		t.Errorf("no resamples: method %s", e.Method)
	}
}

// Over many random classification datasets every estimate of a report
// keeps lower <= value <= upper and stays in [0, 1].
func TestReportEstimatesOrdered(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	labels := []string{"a", "b", "c", "d"}
	for trial := range 50 {
		n := 5 + rng.IntN(60)
		want := make([]string, n)
		outs := make([]eval.Outcome[eval.Scored[string]], n)
		for i := range want {
			want[i] = labels[rng.IntN(len(labels))]
			if rng.Float64() < 0.6 {
				outs[i].Output.Label = want[i]
			} else {
				outs[i].Output.Label = labels[rng.IntN(len(labels))]
			}
			outs[i].Output.Score = rng.Float64()
			if rng.Float64() < 0.1 {
				outs[i].Err = errTest
			}
		}
		r, err := eval.ScoreBinary(want, outs, "a", eval.Resamples(200), eval.Seed(uint64(trial)))
		if err != nil {
			t.Fatal(err)
		}
		for name, e := range allEstimates(r) {
			ordered(t, name, e)
			if e.Lower < 0 || e.Upper > 1 {
				t.Errorf("trial %d: %s = %v outside [0, 1]", trial, name, e)
			}
		}
	}
}

// The bootstrap inside the reports covers known truths too. With no
// failures, micro F1 equals accuracy, so a classifier right with
// probability 0.8 has a true micro F1 of 0.8. Scores of positives drawn
// from N(1, 1) and of negatives from N(0, 1) have a true ROC-AUC of
// Φ(1/√2) = 0.760250.
func TestReportBootstrapCoverage(t *testing.T) {
	const trials, n = 200, 100
	trueAUC := 0.5 * math.Erfc(-(1/math.Sqrt2)/math.Sqrt2)
	rng := rand.New(rand.NewPCG(11, 12))
	f1Hits, aucHits := 0, 0
	for trial := range trials {
		want := make([]bool, n)
		outs := make([]eval.Outcome[eval.Scored[bool]], n)
		for i := range want {
			want[i] = i%2 == 0
			right := rng.Float64() < 0.8
			outs[i].Output.Label = want[i] == right
			outs[i].Output.Score = rng.NormFloat64()
			if want[i] {
				outs[i].Output.Score++
			}
		}
		r, err := eval.ScoreBinary(want, outs, true, eval.Resamples(300), eval.Seed(uint64(trial)))
		if err != nil {
			t.Fatal(err)
		}
		if r.Classification.F1.Micro.Contains(0.8) {
			f1Hits++
		}
		if r.Classification.ROCAUC.Contains(trueAUC) {
			aucHits++
		}
	}
	for name, hits := range map[string]int{"micro F1": f1Hits, "ROC-AUC": aucHits} {
		c := float64(hits) / trials
		t.Logf("%s: coverage %.3f", name, c)
		if c < 0.88 || c > 0.99 {
			t.Errorf("%s interval covered the truth in %.1f%% of trials, want 90-99%%", name, 100*c)
		}
	}
}

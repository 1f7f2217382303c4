package eval_test

import (
	"errors"
	"math"
	"testing"

	"github.com/chorus-go/chorus/chain/eval"
)

// The hand-computed classification case. Eleven examples of three labels;
// the last one failed.
//
//	want: a a a a b b b c c c c
//	got:  a a b a b b a c c b (error)
//
// Confusion matrix (rows want, columns got), answered examples only:
//
//	      a  b  c   errors
//	a     3  1  0   0
//	b     1  2  0   0
//	c     0  1  2   1
//
// TP: a 3, b 2, c 2 (7 right of 10 answered).
// Predicted (column sums): a 4, b 4, c 2. Actual (answered row sums): a 4, b 3, c 3.
//
// Precision: a 3/4 = 0.75, b 2/4 = 0.5, c 2/2 = 1       macro (0.75+0.5+1)/3 = 0.75
// Recall:    a 3/4 = 0.75, b 2/3,      c 2/3            macro (0.75+2/3+2/3)/3 = 0.694444
// F1 = 2TP/(predicted+actual):
//
//	a 6/8 = 0.75, b 4/7 = 0.571429, c 4/5 = 0.8            macro 0.707143
//
// Micro: precision 7/10, recall 7/10, F1 14/20 = 0.7; accuracy 7/10.
// Error rate 1/11.
//
// With ErrorsAsWrong the failed c counts as a miss of c: actual c = 4, so
// recall c = 2/4 = 0.5, F1 c = 4/6 = 0.666667, macro recall
// (0.75+2/3+0.5)/3 = 0.638889, macro F1 (0.75+0.571429+0.666667)/3 =
// 0.662698, accuracy = micro recall = 7/11 = 0.636364, micro precision
// stays 7/10 and micro F1 = 14/(10+11) = 0.666667.
func handCase() ([]string, []eval.Outcome[string]) {
	want := []string{"a", "a", "a", "a", "b", "b", "b", "c", "c", "c", "c"}
	got := []string{"a", "a", "b", "a", "b", "b", "a", "c", "c", "b", ""}
	outs := make([]eval.Outcome[string], len(got))
	for i, g := range got {
		outs[i].Output = g
	}
	outs[10] = eval.Outcome[string]{Err: errors.New("model down")}
	return want, outs
}

func TestClassificationKnownAnswers(t *testing.T) {
	want, outs := handCase()
	r, err := eval.ScoreLabels(want, outs)
	if err != nil {
		t.Fatal(err)
	}
	const tol = 1e-6
	if r.Examples != 11 || r.Answered != 10 || r.Errors != 1 {
		t.Errorf("examples %d answered %d errors %d, want 11 10 1", r.Examples, r.Answered, r.Errors)
	}
	near(t, "error rate", r.ErrorRate.Value, 1.0/11, tol)
	c := r.Classification
	near(t, "accuracy", c.Accuracy.Value, 0.7, tol)
	near(t, "macro precision", c.Precision.Macro.Value, 0.75, tol)
	near(t, "macro recall", c.Recall.Macro.Value, (0.75+2.0/3+2.0/3)/3, tol)
	near(t, "macro F1", c.F1.Macro.Value, (0.75+4.0/7+0.8)/3, tol)
	near(t, "micro precision", c.Precision.Micro.Value, 0.7, tol)
	near(t, "micro recall", c.Recall.Micro.Value, 0.7, tol)
	near(t, "micro F1", c.F1.Micro.Value, 0.7, tol)

	wantClasses := []struct {
		label              string
		support, predicted int
		p, r, f1           float64
	}{
		{"a", 4, 4, 0.75, 0.75, 0.75},
		{"b", 3, 4, 0.5, 2.0 / 3, 4.0 / 7},
		{"c", 4, 2, 1, 2.0 / 3, 0.8},
	}
	if len(c.Classes) != 3 {
		t.Fatalf("classes = %+v", c.Classes)
	}
	for i, w := range wantClasses {
		k := c.Classes[i]
		if k.Label != w.label || k.Support != w.support || k.Predicted != w.predicted {
			t.Errorf("class %d = %s support %d predicted %d, want %s %d %d", i, k.Label, k.Support, k.Predicted, w.label, w.support, w.predicted)
		}
		near(t, w.label+" precision", k.Precision.Value, w.p, tol)
		near(t, w.label+" recall", k.Recall.Value, w.r, tol)
		near(t, w.label+" F1", k.F1.Value, w.f1, tol)
	}

	wantCounts := [][]int{{3, 1, 0}, {1, 2, 0}, {0, 1, 2}}
	for i := range wantCounts {
		for j := range wantCounts[i] {
			if got := c.Confusion.Counts[i][j]; got != wantCounts[i][j] {
				t.Errorf("confusion[%d][%d] = %d, want %d", i, j, got, wantCounts[i][j])
			}
		}
	}
	if got := c.Confusion.Errors; got[0] != 0 || got[1] != 0 || got[2] != 1 {
		t.Errorf("confusion errors = %v, want [0 0 1]", got)
	}
	if got := c.Confusion.Count("b", "a"); got != 1 {
		t.Errorf("Count(b, a) = %d, want 1", got)
	}
	for name, e := range allEstimates(r) {
		ordered(t, name, e)
	}
}

func TestClassificationErrorsAsWrong(t *testing.T) {
	want, outs := handCase()
	r, err := eval.ScoreLabels(want, outs, eval.ErrorsAsWrong())
	if err != nil {
		t.Fatal(err)
	}
	const tol = 1e-6
	c := r.Classification
	near(t, "accuracy", c.Accuracy.Value, 7.0/11, tol)
	near(t, "recall c", c.Classes[2].Recall.Value, 0.5, tol)
	near(t, "F1 c", c.Classes[2].F1.Value, 4.0/6, tol)
	near(t, "precision c", c.Classes[2].Precision.Value, 1, tol)
	near(t, "macro recall", c.Recall.Macro.Value, (0.75+2.0/3+0.5)/3, tol)
	near(t, "macro F1", c.F1.Macro.Value, (0.75+4.0/7+4.0/6)/3, tol)
	near(t, "micro precision", c.Precision.Micro.Value, 0.7, tol)
	near(t, "micro recall", c.Recall.Micro.Value, 7.0/11, tol)
	near(t, "micro F1", c.F1.Micro.Value, 14.0/21, tol)
}

// A label that is answered but never wanted still counts in the macro
// averages, with recall 0 (zero_division=0), and a label that is wanted
// but never answered has precision 0.
//
//	want: x x y     got: x z z
//	x: TP 1, predicted 1, actual 2 -> P 1, R 0.5, F1 2/3
//	y: TP 0, predicted 0, actual 1 -> P 0, R 0,   F1 0
//	z: TP 0, predicted 2, actual 0 -> P 0, R 0,   F1 0
//	macro P 1/3, macro R 1/6, macro F1 2/9; accuracy 1/3
func TestClassificationZeroDivision(t *testing.T) {
	outs := []eval.Outcome[string]{{Output: "x"}, {Output: "z"}, {Output: "z"}}
	r, err := eval.ScoreLabels([]string{"x", "x", "y"}, outs, eval.Resamples(0))
	if err != nil {
		t.Fatal(err)
	}
	c := r.Classification
	if got := c.Labels; len(got) != 3 || got[0] != "x" || got[1] != "y" || got[2] != "z" {
		t.Fatalf("labels = %v", got)
	}
	near(t, "macro precision", c.Precision.Macro.Value, 1.0/3, 1e-9)
	near(t, "macro recall", c.Recall.Macro.Value, 1.0/6, 1e-9)
	near(t, "macro F1", c.F1.Macro.Value, 2.0/9, 1e-9)
	near(t, "accuracy", c.Accuracy.Value, 1.0/3, 1e-9)
	if c.F1.Macro.Method != eval.MethodNone {
		t.Errorf("with Resamples(0) macro F1 method = %s, want none", c.F1.Macro.Method)
	}
}

// Regression by hand:
//
//	want 1 2 3 4, got 2 2 5 3: errors +1 0 +2 -1
//	MAE  = (1+0+2+1)/4 = 1
//	RMSE = sqrt((1+0+4+1)/4) = sqrt(1.5) = 1.224745
//	bias = (1+0+2-1)/4 = 0.5
//	MAE t interval: |e| = 1 0 2 1, s = sqrt(((0)²+(-1)²+(1)²+0²)/3) = 0.816497,
//	se = 0.408248, t(0.975, 3) = 3.182446, half-width 1.299228
//	-> [-0.299228, 2.299228]
func TestRegressionKnownAnswers(t *testing.T) {
	want := []float64{1, 2, 3, 4}
	outs := []eval.Outcome[float64]{{Output: 2}, {Output: 2}, {Output: 5}, {Output: 3}, {Err: errors.New("x")}}
	if _, err := eval.ScoreNumbers(want, outs); !errors.Is(err, eval.ErrLength) {
		t.Fatalf("mismatched lengths: err = %v, want ErrLength", err)
	}
	r, err := eval.ScoreNumbers(append(want, 9), outs)
	if err != nil {
		t.Fatal(err)
	}
	g := r.Regression
	near(t, "MAE", g.MAE.Value, 1, 1e-9)
	near(t, "RMSE", g.RMSE.Value, math.Sqrt(1.5), 1e-9)
	near(t, "bias", g.Bias.Value, 0.5, 1e-9)
	near(t, "MAE lower", g.MAE.Lower, 1-1.299228, 1e-5)
	near(t, "MAE upper", g.MAE.Upper, 1+1.299228, 1e-5)
	if g.MAE.N != 4 || r.Errors != 1 {
		t.Errorf("MAE over %d values with %d errors, want 4 and 1", g.MAE.N, r.Errors)
	}
	if g.RMSE.Method != eval.MethodBootstrap {
		t.Errorf("RMSE method = %s", g.RMSE.Method)
	}
	ordered(t, "RMSE", g.RMSE)
}

// ROC-AUC by hand.
//
// scikit-learn's example: scores 0.1 0.4 0.35 0.8, labels 0 0 1 1.
// Positive-negative pairs: (0.35 vs 0.1) win, (0.35 vs 0.4) loss,
// (0.8 vs 0.1) win, (0.8 vs 0.4) win -> 3/4 = 0.75.
//
// With a tie: scores 0.5 0.5 0.2 0.9, positives first and last.
// Pairs: (0.5 vs 0.5) half, (0.5 vs 0.2) win, (0.9 vs 0.5) win,
// (0.9 vs 0.2) win -> 3.5/4 = 0.875.
func TestAUCKnownAnswers(t *testing.T) {
	auc, ok := eval.AUC([]float64{0.1, 0.4, 0.35, 0.8}, []bool{false, false, true, true})
	if !ok {
		t.Fatal("AUC not defined")
	}
	near(t, "AUC", auc, 0.75, 1e-12)
	auc, _ = eval.AUC([]float64{0.5, 0.5, 0.2, 0.9}, []bool{true, false, false, true})
	near(t, "AUC with a tie", auc, 0.875, 1e-12)
	auc, _ = eval.AUC([]float64{3, 2, 1}, []bool{true, false, false})
	near(t, "perfect AUC", auc, 1, 0)
	if _, ok := eval.AUC([]float64{1, 2}, []bool{true, true}); ok {
		t.Error("AUC with no negatives should be undefined")
	}
	if _, ok := eval.AUC([]float64{1}, []bool{true, false}); ok {
		t.Error("AUC with mismatched lengths should be undefined")
	}
}

func TestScoreBinaryAUC(t *testing.T) {
	want := []string{"spam", "ham", "spam", "ham", "ham"}
	outs := []eval.Outcome[eval.Scored[string]]{
		{Output: eval.Scored[string]{Label: "spam", Score: 0.8}},
		{Output: eval.Scored[string]{Label: "ham", Score: 0.1}},
		{Output: eval.Scored[string]{Label: "ham", Score: 0.35}},
		{Output: eval.Scored[string]{Label: "spam", Score: 0.4}},
		{Err: errors.New("timeout")},
	}
	r, err := eval.ScoreBinary(want, outs, "spam")
	if err != nil {
		t.Fatal(err)
	}
	c := r.Classification
	if c.ROCAUC == nil || c.Positive != "spam" {
		t.Fatalf("ROC-AUC = %v, positive %q", c.ROCAUC, c.Positive)
	}
	near(t, "AUC", c.ROCAUC.Value, 0.75, 1e-12) // the scikit-learn case again
	near(t, "accuracy", c.Accuracy.Value, 0.5, 1e-12)
	ordered(t, "AUC", *c.ROCAUC)
	if c.ROCAUC.N != 4 {
		t.Errorf("AUC over %d examples, want the 4 answered", c.ROCAUC.N)
	}
}

// McNemar's exact test by hand: under H0, b ~ Binomial(b+c, 1/2).
//
//	b=0, c=6: P(X<=0) = 1/64,         p = 2/64 = 0.03125
//	b=1, c=9: P(X<=1) = (1+10)/1024,  p = 22/1024 = 0.021484375
//	b=3, c=3: P(X<=3) = 42/64 > 1/2,  p = 1
//	b=2, c=5: P(X<=2) = (1+7+21)/128, p = 58/128 = 0.453125
func TestMcNemarKnownAnswers(t *testing.T) {
	for _, tc := range []struct {
		b, c int
		p    float64
	}{{0, 6, 0.03125}, {6, 0, 0.03125}, {1, 9, 0.021484375}, {3, 3, 1}, {2, 5, 0.453125}, {0, 0, 1}} {
		near(t, "McNemar", eval.McNemar(tc.b, tc.c), tc.p, 1e-12)
	}
}

// Wilcoxon signed-rank by hand, exact distribution over 2^5 sign patterns:
//
//	1 2 3 4 5:  W+ = 15, only the all-positive pattern reaches it:
//	            p = 2·(1/32) = 0.0625 (scipy.stats.wilcoxon agrees)
//	1 -2 3 4 5: W+ = 13; sums >= 13 are the complements of {}, {1}, {2}:
//	            p = 2·(3/32) = 0.1875
//	0 1 -1:     the zero is dropped; ranks 1.5 and 1.5, W+ = 1.5,
//	            P(W+ <= 1.5) = 3/4, P(W+ >= 1.5) = 3/4, p = 1
func TestWilcoxonKnownAnswers(t *testing.T) {
	for _, tc := range []struct {
		d    []float64
		w, p float64
	}{
		{[]float64{1, 2, 3, 4, 5}, 15, 0.0625},
		{[]float64{-1, -2, -3, -4, -5}, 0, 0.0625},
		{[]float64{1, -2, 3, 4, 5}, 13, 0.1875},
		{[]float64{0, 1, -1}, 1.5, 1},
		{nil, 0, 1},
	} {
		w, p := eval.WilcoxonSignedRank(tc.d)
		near(t, "W+", w, tc.w, 1e-12)
		near(t, "p", p, tc.p, 1e-12)
	}
	// Past 200 differences the normal approximation takes over; a strong
	// shift is still significant and a symmetric sample is not.
	var shifted, symmetric []float64
	for i := range 300 {
		x := float64(i%17) + 1
		shifted = append(shifted, x)
		if i%5 == 0 {
			shifted[i] = -x
		}
		symmetric = append(symmetric, x*float64(1-2*(i%2)))
	}
	if _, p := eval.WilcoxonSignedRank(shifted); p > 1e-6 {
		t.Errorf("shifted sample p = %g, want tiny", p)
	}
	if _, p := eval.WilcoxonSignedRank(symmetric); p < 0.5 {
		t.Errorf("symmetric sample p = %g, want large", p)
	}
}

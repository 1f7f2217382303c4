package eval

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chorus-go/chorus/chain"
)

// Decision is the verdict of a comparison between a champion and a
// challenger.
type Decision string

// The decisions Compare reaches.
const (
	ChallengerBetter        Decision = "challenger better"
	ChallengerWorse         Decision = "challenger worse"
	NoSignificantDifference Decision = "no significant difference"
)

// Test is the paired significance test of a comparison. ChampionWins and
// ChallengerWins count the examples on which only one of the two was
// right (classification) or on which one was closer to the wanted number
// (numeric outputs). Improvement is how much better the challenger did
// per example, with a t interval: its accuracy minus the champion's, or
// the champion's mean absolute error minus its own over the examples both
// answered; positive means the challenger is better.
type Test struct {
	Name           string   `json:"name"`
	Pairs          int      `json:"pairs"`
	ChampionWins   int      `json:"champion_wins"`
	ChallengerWins int      `json:"challenger_wins"`
	Statistic      float64  `json:"statistic"`
	PValue         float64  `json:"p_value"`
	Improvement    Estimate `json:"improvement"`
}

// Comparison is the result of Compare: both models' reports on the same
// examples, the paired test and the decision at significance level Alpha.
type Comparison struct {
	Champion   *Report  `json:"champion"`
	Challenger *Report  `json:"challenger"`
	Test       Test     `json:"test"`
	Alpha      float64  `json:"alpha"`
	Decision   Decision `json:"decision"`
}

// Compare runs a champion and a challenger classifier over the same
// dataset and decides whether the challenger is better, worse, or not
// significantly different, by McNemar's exact test on the examples where
// exactly one of them was right (an example a model failed on counts as
// wrong). The decision is ChallengerBetter or ChallengerWorse when the
// p-value is below Alpha (default 0.05), else NoSignificantDifference.
func Compare[In any, L comparable](ctx context.Context, champion, challenger chain.Chain[In, L], data []Example[In, L], opts ...Option) (*Comparison, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	a, b, err := collectPair(ctx, "Compare", champion, challenger, data, cfg)
	if err != nil {
		return nil, err
	}
	want := wants(data)
	cmp := &Comparison{Champion: scoreLabels(want, a, cfg), Challenger: scoreLabels(want, b, cfg), Alpha: cfg.alpha}
	cmp.Champion.Name, cmp.Challenger.Name = chain.Describe(champion).Name, chain.Describe(challenger).Name
	t := Test{Name: "McNemar exact", Pairs: len(data)}
	diff := make([]float64, len(data))
	for i, w := range want {
		ra := a[i].Err == nil && a[i].Output == w
		rb := b[i].Err == nil && b[i].Output == w
		switch {
		case ra && !rb:
			t.ChampionWins++
			diff[i] = -1
		case rb && !ra:
			t.ChallengerWins++
			diff[i] = 1
		}
	}
	if n := t.ChampionWins + t.ChallengerWins; n > 0 {
		d := float64(t.ChallengerWins - t.ChampionWins)
		t.Statistic = d * d / float64(n)
	}
	t.PValue = McNemar(t.ChampionWins, t.ChallengerWins)
	t.Improvement = MeanInterval(diff, cfg.level)
	cmp.Test = t
	cmp.decide(t.ChallengerWins > t.ChampionWins)
	return cmp, nil
}

// CompareNumbers runs a champion and a challenger with numeric outputs
// over the same dataset and decides between them by the Wilcoxon
// signed-rank test on the paired differences of absolute error (champion's
// minus challenger's). An example a model failed on counts as an error
// larger than any; one both failed on carries no information.
func CompareNumbers[In any, N chain.Number](ctx context.Context, champion, challenger chain.Chain[In, N], data []Example[In, N], opts ...Option) (*Comparison, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	a, b, err := collectPair(ctx, "CompareNumbers", champion, challenger, data, cfg)
	if err != nil {
		return nil, err
	}
	want := wants(data)
	cmp := &Comparison{Champion: scoreNumbers(want, a, cfg), Challenger: scoreNumbers(want, b, cfg), Alpha: cfg.alpha}
	cmp.Champion.Name, cmp.Challenger.Name = chain.Describe(champion).Name, chain.Describe(challenger).Name
	t := Test{Name: "Wilcoxon signed-rank", Pairs: len(data)}
	absErr := func(o Outcome[N], w N) float64 {
		if o.Err != nil {
			return math.Inf(1)
		}
		return math.Abs(float64(o.Output) - float64(w))
	}
	diffs := make([]float64, 0, len(data))
	var finite []float64
	for i, w := range want {
		ea, eb := absErr(a[i], w), absErr(b[i], w)
		d := 0.0
		if ea != eb {
			d = ea - eb // +Inf - x or x - +Inf when one failed
		}
		diffs = append(diffs, d)
		switch {
		case d > 0:
			t.ChallengerWins++
		case d < 0:
			t.ChampionWins++
		}
		if !math.IsInf(ea, 0) && !math.IsInf(eb, 0) {
			finite = append(finite, d)
		}
	}
	t.Statistic, t.PValue = WilcoxonSignedRank(diffs)
	t.Improvement = MeanInterval(finite, cfg.level)
	cmp.Test = t
	n := float64(t.ChampionWins + t.ChallengerWins)
	cmp.decide(t.Statistic > n*(n+1)/4)
	return cmp, nil
}

func (c *Comparison) decide(challengerAhead bool) {
	switch {
	case c.Test.PValue >= c.Alpha:
		c.Decision = NoSignificantDifference
	case challengerAhead:
		c.Decision = ChallengerBetter
	default:
		c.Decision = ChallengerWorse
	}
}

// String returns the comparison as text; see WriteText.
func (c *Comparison) String() string {
	var b strings.Builder
	_ = c.WriteText(&b)
	return b.String()
}

// WriteText writes the decision, the test and both models' main metrics
// side by side.
func (c *Comparison) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s (%s, p = %.4g, alpha %g)\n", c.Decision, c.Test.Name, c.Test.PValue, c.Alpha)
	fmt.Fprintf(tw, "pairs %d: champion better on %d, challenger better on %d; improvement %s\n\n", c.Test.Pairs, c.Test.ChampionWins, c.Test.ChallengerWins, c.Test.Improvement)
	rows := []struct {
		role string
		r    *Report
	}{{"champion", c.Champion}, {"challenger", c.Challenger}}
	switch {
	case c.Champion.Classification != nil:
		fmt.Fprintf(tw, "model\tname\taccuracy\tF1 (macro)\terrors\n")
		for _, row := range rows {
			m := row.r.Classification
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\n", row.role, row.r.Name, m.Accuracy, m.F1.Macro, row.r.Errors)
		}
	case c.Champion.Regression != nil:
		fmt.Fprintf(tw, "model\tname\tMAE\tRMSE\terrors\n")
		for _, row := range rows {
			m := row.r.Regression
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\n", row.role, row.r.Name, m.MAE, m.RMSE, row.r.Errors)
		}
	}
	return tw.Flush()
}

// pair runs a champion and a challenger on the same input, one after the
// other, keeping both outcomes.
type pair[In, Out any] struct{ a, b chain.Chain[In, Out] }

type pairOutcome[Out any] struct{ a, b Outcome[Out] }

func (p pair[In, Out]) Run(ctx context.Context, in In) (pairOutcome[Out], error) {
	var o pairOutcome[Out]
	for _, side := range []struct {
		c   chain.Chain[In, Out]
		out *Outcome[Out]
	}{{p.a, &o.a}, {p.b, &o.b}} {
		start := time.Now()
		side.out.Output, side.out.Err = chain.SafeRun(ctx, side.c, in)
		side.out.Latency = time.Since(start)
	}
	return o, nil
}

func collectPair[In, Out, W any](ctx context.Context, fn string, champion, challenger chain.Chain[In, Out], data []Example[In, W], cfg config) (a, b []Outcome[Out], err error) {
	if champion == nil || challenger == nil {
		return nil, nil, configError(fn, "nil chain")
	}
	outs, err := collectData(ctx, fn, chain.Chain[In, pairOutcome[Out]](pair[In, Out]{champion, challenger}), data, cfg)
	if err != nil {
		return nil, nil, err
	}
	a, b = make([]Outcome[Out], len(outs)), make([]Outcome[Out], len(outs))
	for i, o := range outs {
		a[i], b[i] = o.Output.a, o.Output.b
	}
	return a, b, nil
}

package eval

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chorus-go/chorus/chain"
)

// ErrLength is returned by the Score functions when the wanted answers and
// the outcomes differ in number.
var ErrLength = errors.New("eval: wanted answers and outcomes differ in length")

// Example is one labelled input of a dataset: the input and the output
// wanted for it. The JSON field names let a dataset load from a file.
type Example[In, Out any] struct {
	Input In  `json:"input"`
	Want  Out `json:"want"`
}

// Outcome is what a chain returned for one input: its output or its
// error, and how long the call took.
type Outcome[Out any] struct {
	Output  Out
	Err     error
	Latency time.Duration
}

// Collect runs c over every input, at most Concurrency at once, and
// returns the outcomes in input order. An input whose chain fails (or
// panics: a *chain.PanicError) is recorded in its Outcome and does not
// stop the others. When ctx ends, Collect starts no more inputs and
// returns the outcomes with an error wrapping ctx's; the inputs it did not
// run carry ctx's error.
func Collect[In, Out any](ctx context.Context, c chain.Chain[In, Out], inputs []In, opts ...Option) ([]Outcome[Out], error) {
	if c == nil {
		return nil, configError("Collect", "nil chain")
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	return collect(ctx, c, len(inputs), func(i int) In { return inputs[i] }, cfg)
}

func collect[In, Out any](ctx context.Context, c chain.Chain[In, Out], n int, input func(int) In, cfg config) ([]Outcome[Out], error) {
	outs := make([]Outcome[Out], n)
	var (
		next atomic.Int64
		mu   sync.Mutex
		done int
	)
	work := func() {
		for {
			i := int(next.Add(1) - 1)
			if i >= n {
				return
			}
			if err := ctx.Err(); err != nil {
				outs[i].Err = err
				continue
			}
			start := time.Now()
			out, err := chain.SafeRun(ctx, c, input(i))
			outs[i] = Outcome[Out]{Output: out, Err: err, Latency: time.Since(start)}
			if cfg.progress != nil {
				mu.Lock()
				done++
				cfg.progress(done, n)
				mu.Unlock()
			}
		}
	}
	var wg sync.WaitGroup
	for range min(cfg.concurrency, n) - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return outs, fmt.Errorf("eval: stopped before the end of the dataset: %w", context.Cause(ctx))
	}
	return outs, nil
}

// Evaluate runs a classifier over a labelled dataset, at most Concurrency
// examples at once, and scores its answers: accuracy, precision, recall
// and F1 per class with their macro and micro averages, and the confusion
// matrix, each with a confidence interval (see Report). An example whose
// chain fails is counted in Errors and never stops the evaluation. The
// error is non-nil only when ctx ends first.
func Evaluate[In any, L comparable](ctx context.Context, c chain.Chain[In, L], data []Example[In, L], opts ...Option) (*Report, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	outs, err := collectData(ctx, "Evaluate", c, data, cfg)
	if err != nil {
		return nil, err
	}
	r := scoreLabels(wants(data), outs, cfg)
	r.Name = nameOf(c, cfg)
	return r, nil
}

// EvaluateScored is Evaluate for a classifier that also scores how likely
// the positive class is: besides the classification metrics of the
// labels, the report has the ROC-AUC of the scores for telling the
// positive class from all others. Use Threshold to evaluate a chain that
// returns only a score, and chain.Then with chain.Pure to adapt a chain
// that returns a label and its confidence in it, such as an
// llm.ScoredClassifier:
//
//	scored := chain.Then(classify, chain.Pure(func(c llm.Classification[DocType]) eval.Scored[DocType] {
//		score := c.Confidence // in c.Label
//		if c.Label != Invoice {
//			score = 1 - score // a guess at the positive class's share
//		}
//		return eval.Scored[DocType]{Label: c.Label, Score: score}
//	}))
//	report, err := eval.EvaluateScored(ctx, scored, data, Invoice)
func EvaluateScored[In any, L comparable](ctx context.Context, c chain.Chain[In, Scored[L]], data []Example[In, L], positive L, opts ...Option) (*Report, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	outs, err := collectData(ctx, "EvaluateScored", c, data, cfg)
	if err != nil {
		return nil, err
	}
	r := scoreBinary(wants(data), outs, positive, cfg)
	r.Name = nameOf(c, cfg)
	return r, nil
}

// EvaluateNumbers runs a chain with a numeric output (a regression, a
// count, a weighted-mean vote) over a labelled dataset and reports the
// mean absolute error, the root mean squared error and the bias (mean of
// got - want), each with a confidence interval.
func EvaluateNumbers[In any, N chain.Number](ctx context.Context, c chain.Chain[In, N], data []Example[In, N], opts ...Option) (*Report, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	outs, err := collectData(ctx, "EvaluateNumbers", c, data, cfg)
	if err != nil {
		return nil, err
	}
	r := scoreNumbers(wants(data), outs, cfg)
	r.Name = nameOf(c, cfg)
	return r, nil
}

// ScoreLabels scores classification outcomes gathered elsewhere (by
// Collect, a Shadow's record function, a log) against the wanted labels,
// as Evaluate does.
func ScoreLabels[L comparable](want []L, got []Outcome[L], opts ...Option) (*Report, error) {
	if len(want) != len(got) {
		return nil, fmt.Errorf("%w: %d and %d", ErrLength, len(want), len(got))
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	r := scoreLabels(want, got, cfg)
	r.Name = cfg.name
	return r, nil
}

// ScoreBinary scores scored classification outcomes against the wanted
// labels, as EvaluateScored does.
func ScoreBinary[L comparable](want []L, got []Outcome[Scored[L]], positive L, opts ...Option) (*Report, error) {
	if len(want) != len(got) {
		return nil, fmt.Errorf("%w: %d and %d", ErrLength, len(want), len(got))
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	r := scoreBinary(want, got, positive, cfg)
	r.Name = cfg.name
	return r, nil
}

// ScoreNumbers scores numeric outcomes against the wanted numbers, as
// EvaluateNumbers does.
func ScoreNumbers[N chain.Number](want []N, got []Outcome[N], opts ...Option) (*Report, error) {
	if len(want) != len(got) {
		return nil, fmt.Errorf("%w: %d and %d", ErrLength, len(want), len(got))
	}
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	r := scoreNumbers(want, got, cfg)
	r.Name = cfg.name
	return r, nil
}

func collectData[In, Out, W any](ctx context.Context, fn string, c chain.Chain[In, Out], data []Example[In, W], cfg config) ([]Outcome[Out], error) {
	if c == nil {
		return nil, configError(fn, "nil chain")
	}
	return collect(ctx, c, len(data), func(i int) In { return data[i].Input }, cfg)
}

func wants[In, W any](data []Example[In, W]) []W {
	w := make([]W, len(data))
	for i, e := range data {
		w[i] = e.Want
	}
	return w
}

func nameOf(c any, cfg config) string {
	if cfg.name != "" {
		return cfg.name
	}
	return chain.Describe(c).Name
}

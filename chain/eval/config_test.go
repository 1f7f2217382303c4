package eval_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/eval"
)

// Every invalid option is an error, matching chain.ErrConfig and naming
// the option, of each function that takes options, before it runs the
// chain; no option panics by itself.
func TestOptionConfigErrors(t *testing.T) {
	ctx := context.Background()
	calls := 0
	id := chain.Fn(func(_ context.Context, n int) (int, error) { calls++; return n, nil })
	data := []eval.Example[int, int]{{Input: 1, Want: 1}, {Input: 2, Want: 2}}
	vote := chain.Vote(chain.Majority[int](), []chain.Voter[int, int]{chain.Member("a", id)})
	funcs := map[string]func(...eval.Option) error{
		"Evaluate": func(o ...eval.Option) error { _, err := eval.Evaluate(ctx, id, data, o...); return err },
		"EvaluateScored": func(o ...eval.Option) error {
			sc := chain.Pure(func(n int) eval.Scored[int] { calls++; return eval.Scored[int]{Label: n} })
			_, err := eval.EvaluateScored(ctx, sc, data, 1, o...)
			return err
		},
		"EvaluateNumbers":     func(o ...eval.Option) error { _, err := eval.EvaluateNumbers(ctx, id, data, o...); return err },
		"EvaluateVote":        func(o ...eval.Option) error { _, err := eval.EvaluateVote(ctx, vote, data, o...); return err },
		"EvaluateVoteNumbers": func(o ...eval.Option) error { _, err := eval.EvaluateVoteNumbers(ctx, vote, data, o...); return err },
		"Collect":             func(o ...eval.Option) error { _, err := eval.Collect(ctx, id, []int{1}, o...); return err },
		"ScoreLabels": func(o ...eval.Option) error {
			_, err := eval.ScoreLabels([]int{1}, []eval.Outcome[int]{{Output: 1}}, o...)
			return err
		},
		"ScoreBinary": func(o ...eval.Option) error {
			_, err := eval.ScoreBinary([]int{1}, []eval.Outcome[eval.Scored[int]]{{Output: eval.Scored[int]{Label: 1}}}, 1, o...)
			return err
		},
		"ScoreNumbers": func(o ...eval.Option) error {
			_, err := eval.ScoreNumbers([]int{1}, []eval.Outcome[int]{{Output: 1}}, o...)
			return err
		},
		"Compare":        func(o ...eval.Option) error { _, err := eval.Compare(ctx, id, id, data, o...); return err },
		"CompareNumbers": func(o ...eval.Option) error { _, err := eval.CompareNumbers(ctx, id, id, data, o...); return err },
	}
	bad := []struct {
		name string
		opt  eval.Option
		want string
	}{
		{"concurrency 0", eval.Concurrency(0), "eval.Concurrency"},
		{"confidence 0", eval.Confidence(0), "eval.Confidence"},
		{"confidence 1", eval.Confidence(1), "eval.Confidence"},
		{"confidence NaN", eval.Confidence(math.NaN()), "eval.Confidence"},
		{"resamples negative", eval.Resamples(-1), "eval.Resamples"},
		{"alpha 0", eval.Alpha(0), "eval.Alpha"},
		{"alpha NaN", eval.Alpha(math.NaN()), "eval.Alpha"},
	}
	for fn, call := range funcs {
		for _, b := range bad {
			calls = 0
			err := call(eval.Seed(1), b.opt, eval.Concurrency(2))
			if !errors.Is(err, chain.ErrConfig) {
				t.Errorf("%s with %s: %v, want an error matching chain.ErrConfig", fn, b.name, err)
				continue
			}
			if !strings.Contains(err.Error(), b.want) {
				t.Errorf("%s with %s: error %q does not name %s", fn, b.name, err, b.want)
			}
			if calls != 0 {
				t.Errorf("%s with %s: the chain ran %d times", fn, b.name, calls)
			}
		}
		if err := call(eval.Concurrency(1), eval.Confidence(0.9), eval.Resamples(0), eval.Alpha(0.01)); err != nil {
			t.Errorf("%s with valid options: %v", fn, err)
		}
	}
}

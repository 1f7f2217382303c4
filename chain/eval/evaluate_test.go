package eval_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/eval"
)

// lookup is a classifier that answers from a table and fails on "fail"
// and panics on "panic".
func lookup(table map[string]string) chain.Chain[string, string] {
	return chain.Named("lookup", chain.Fn(func(ctx context.Context, in string) (string, error) {
		switch in {
		case "fail":
			return "", errors.New("model unavailable")
		case "panic":
			panic("bad model")
		}
		return table[in], nil
	}))
}

func TestEvaluateCountsErrorsAndPanics(t *testing.T) {
	data := []eval.Example[string, string]{
		{Input: "1", Want: "x"}, {Input: "2", Want: "y"}, {Input: "3", Want: "x"},
		{Input: "fail", Want: "x"}, {Input: "panic", Want: "y"},
	}
	r, err := eval.Evaluate(context.Background(), lookup(map[string]string{"1": "x", "2": "y", "3": "y"}), data)
	if err != nil {
		t.Fatal(err)
	}
	if r.Name != "lookup" || r.Examples != 5 || r.Errors != 2 || r.Answered != 3 {
		t.Errorf("report %q: %d examples, %d errors, %d answered", r.Name, r.Examples, r.Errors, r.Answered)
	}
	near(t, "accuracy", r.Classification.Accuracy.Value, 2.0/3, 1e-12)
	if len(r.FirstErrors) != 2 || !strings.Contains(r.FirstErrors[0], "model unavailable") || !strings.Contains(r.FirstErrors[1], "panic") {
		t.Errorf("first errors = %q", r.FirstErrors)
	}
}

func TestEvaluateProgressAndConcurrency(t *testing.T) {
	const n, limit = 200, 3
	var inflight, peak atomic.Int64
	c := chain.Fn(func(ctx context.Context, in int) (int, error) {
		cur := inflight.Add(1)
		defer inflight.Add(-1)
		for {
			p := peak.Load()
			if cur <= p || peak.CompareAndSwap(p, cur) {
				break
			}
		}
		return in % 2, nil
	})
	data := make([]eval.Example[int, int], n)
	for i := range data {
		data[i] = eval.Example[int, int]{Input: i, Want: i % 2}
	}
	var seen []int
	r, err := eval.Evaluate(context.Background(), c, data, eval.Concurrency(limit), eval.Progress(func(done, total int) {
		if total != n {
			t.Errorf("total = %d", total)
		}
		seen = append(seen, done) // calls are serialised: no lock needed
	}))
	if err != nil {
		t.Fatal(err)
	}
	if p := peak.Load(); p > limit {
		t.Errorf("%d calls ran at once, limit %d", p, limit)
	}
	if len(seen) != n || !slices.IsSorted(seen) || seen[n-1] != n {
		t.Errorf("progress went %v...", seen[:min(5, len(seen))])
	}
	near(t, "accuracy", r.Classification.Accuracy.Value, 1, 0)
}

func TestEvaluateStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var calls, late atomic.Int64
	var cancelled atomic.Bool
	c := chain.Fn(func(ctx context.Context, in int) (int, error) {
		if cancelled.Load() {
			late.Add(1) // started after the cancel had returned
		}
		if calls.Add(1) == 10 {
			cancel()
			cancelled.Store(true)
		}
		return in, ctx.Err()
	})
	data := make([]eval.Example[int, int], 1000)
	r, err := eval.Evaluate(ctx, c, data, eval.Concurrency(2))
	if !errors.Is(err, context.Canceled) || r != nil {
		t.Fatalf("Evaluate = %v, %v; want nil and context.Canceled", r, err)
	}
	// each worker checks the context before a call: at most the other
	// worker's call already past its check may start late
	if n := late.Load(); n > 1 {
		t.Errorf("%d calls started after the cancel (of %d in all), want at most 1", n, calls.Load())
	}
}

func TestCollectKeepsOrder(t *testing.T) {
	double := chain.Pure(func(x int) int { return 2 * x })
	outs, err := eval.Collect(context.Background(), double, []int{1, 2, 3, 4, 5, 6, 7}, eval.Concurrency(4))
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range outs {
		if o.Output != 2*(i+1) || o.Err != nil {
			t.Errorf("outcome %d = %+v", i, o)
		}
	}
	if _, err := eval.Collect[int, int](context.Background(), nil, []int{1}); !errors.Is(err, chain.ErrConfig) {
		t.Errorf("nil chain: %v", err)
	}
}

func TestEvaluateScoredWithThreshold(t *testing.T) {
	// The chain returns the input as a score; positives are the inputs
	// wanted true. Scores 0.1 0.4 0.35 0.8 with labels F F T T: AUC 0.75
	// (scikit-learn's example). At threshold 0.5 only 0.8 is positive:
	// accuracy 3/4.
	score := chain.Pure(func(x float64) float64 { return x })
	data := []eval.Example[float64, bool]{{0.1, false}, {0.4, false}, {0.35, true}, {0.8, true}}
	r, err := eval.EvaluateScored(context.Background(), eval.Threshold(score, 0.5), data, true)
	if err != nil {
		t.Fatal(err)
	}
	c := r.Classification
	near(t, "AUC", c.ROCAUC.Value, 0.75, 1e-12)
	near(t, "accuracy", c.Accuracy.Value, 0.75, 1e-12)
	if c.Positive != "true" || !slices.Equal(c.Labels, []string{"false", "true"}) {
		t.Errorf("positive %q labels %v", c.Positive, c.Labels)
	}
}

func TestEvaluateNumbers(t *testing.T) {
	// want 1 2 3 4, the model adds 1 to even inputs: errors 0 1 0 1.
	// MAE 0.5, RMSE sqrt(0.5), bias 0.5.
	c := chain.Pure(func(x int) int { return x + (1 - x%2) })
	data := []eval.Example[int, int]{{1, 1}, {2, 2}, {3, 3}, {4, 4}}
	r, err := eval.EvaluateNumbers(context.Background(), c, data)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "MAE", r.Regression.MAE.Value, 0.5, 1e-12)
	near(t, "RMSE", r.Regression.RMSE.Value, 0.7071067811865476, 1e-12)
	near(t, "bias", r.Regression.Bias.Value, 0.5, 1e-12)
	if r.Classification != nil {
		t.Error("a numeric report has classification metrics")
	}
}

func TestReportJSONFieldNames(t *testing.T) {
	want, outs := handCase()
	r, err := eval.ScoreLabels(want, outs, eval.Name("hand"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"name", "examples", "answered", "errors", "error_rate", "first_errors", "latency", "classification"} {
		if _, ok := m[key]; !ok {
			t.Errorf("report JSON has no %q: %s", key, b)
		}
	}
	c := m["classification"].(map[string]any)
	for _, key := range []string{"labels", "accuracy", "precision", "recall", "f1", "classes", "confusion"} {
		if _, ok := c[key]; !ok {
			t.Errorf("classification JSON has no %q", key)
		}
	}
	acc := c["accuracy"].(map[string]any)
	for _, key := range []string{"value", "lower", "upper", "level", "method", "n"} {
		if _, ok := acc[key]; !ok {
			t.Errorf("estimate JSON has no %q", key)
		}
	}
	if got := c["f1"].(map[string]any)["macro"].(map[string]any)["method"]; got != "bootstrap" {
		t.Errorf("macro F1 method = %v", got)
	}
	var back eval.Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Classification.Accuracy != r.Classification.Accuracy || back.Classification.Confusion.Count("a", "b") != 1 {
		t.Errorf("round trip lost data")
	}
}

func TestReportText(t *testing.T) {
	want, outs := handCase()
	r, err := eval.ScoreLabels(want, outs, eval.Name("hand"))
	if err != nil {
		t.Fatal(err)
	}
	text := r.String()
	for _, s := range []string{
		"hand: 11 examples, 10 answered, 1 error",
		"accuracy           0.700  [0.397, 0.892]  wilson",
		"want \\ got",
		"c           0  1  2  1",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("text lacks %q:\n%s", s, text)
		}
	}
}

func TestEvaluateVoteScoresMembersFromOneRun(t *testing.T) {
	// Three members over six examples of labels p and n:
	//   good   right on all six
	//   half   right on the first three, wrong on the rest
	//   flaky  fails on the first two, right afterwards
	// The majority is right everywhere: on 0-2 good and half agree, on 3-5
	// good and flaky agree.
	var mu sync.Mutex
	calls := map[string]int{}
	member := func(name string, answer func(i int) (string, error)) chain.Voter[int, string] {
		return chain.Member(name, chain.Fn(func(ctx context.Context, i int) (string, error) {
			mu.Lock()
			calls[name]++
			mu.Unlock()
			return answer(i)
		}))
	}
	truth := func(i int) string { return []string{"p", "n"}[i%2] }
	wrong := func(i int) string { return []string{"n", "p"}[i%2] }
	vote := chain.Named("classify", chain.Vote(chain.Majority[string](), []chain.Voter[int, string]{
		member("good", func(i int) (string, error) { return truth(i), nil }),
		member("half", func(i int) (string, error) {
			if i < 3 {
				return truth(i), nil
			}
			return wrong(i), nil
		}),
		member("flaky", func(i int) (string, error) {
			if i < 2 {
				return "", errors.New("flaky")
			}
			return truth(i), nil
		}),
	}, chain.Quorum(2)))
	data := make([]eval.Example[int, string], 6)
	for i := range data {
		data[i] = eval.Example[int, string]{Input: i, Want: truth(i)}
	}
	r, err := eval.EvaluateVote(context.Background(), vote, data)
	if err != nil {
		t.Fatal(err)
	}
	for name, n := range calls {
		if n != 6 {
			t.Errorf("member %s called %d times, want 6 (one run)", name, n)
		}
	}
	near(t, "ensemble accuracy", r.Classification.Accuracy.Value, 1, 0)
	if len(r.Members) != 3 {
		t.Fatalf("members = %d", len(r.Members))
	}
	for i, w := range []struct {
		name     string
		accuracy float64
		errors   int
	}{{"good", 1, 0}, {"half", 0.5, 0}, {"flaky", 1, 2}} {
		m := r.Members[i]
		if m.Name != w.name || m.Errors != w.errors {
			t.Errorf("member %d = %s with %d errors, want %s with %d", i, m.Name, m.Errors, w.name, w.errors)
		}
		near(t, w.name+" accuracy", m.Classification.Accuracy.Value, w.accuracy, 1e-12)
	}
	// Agreement: 2/3 on examples 0 and 1 (flaky failed: 2 of 2 valid
	// agree, so 1), then 1 on 2, 2/3 on 3-5: (1+1+1+2/3·3)/6 = 5/6.
	near(t, "agreement", r.Agreement.Value, 5.0/6, 1e-12)
	text := r.String()
	if !strings.Contains(text, "(vote)") || !strings.Contains(text, "flaky") {
		t.Errorf("text lacks the member table:\n%s", text)
	}
}

func TestEvaluateVoteReadsBallotsOfFailedQuorum(t *testing.T) {
	// Quorum 2 of 2; member b fails on odd inputs, so those votes fail,
	// but member a's ballots still count.
	vote := chain.Vote(chain.Majority[int](), []chain.Voter[int, int]{
		chain.Member("a", chain.Pure(func(i int) int { return i })),
		chain.Member("b", chain.Fn(func(ctx context.Context, i int) (int, error) {
			if i%2 == 1 {
				return 0, errors.New("odd")
			}
			return i, nil
		})),
	}, chain.Quorum(2))
	data := []eval.Example[int, int]{{0, 0}, {1, 1}, {2, 2}, {3, 3}}
	r, err := eval.EvaluateVote(context.Background(), vote, data)
	if err != nil {
		t.Fatal(err)
	}
	if r.Errors != 2 || r.Members[0].Errors != 0 || r.Members[1].Errors != 2 {
		t.Errorf("errors: vote %d, a %d, b %d; want 2, 0, 2", r.Errors, r.Members[0].Errors, r.Members[1].Errors)
	}
	near(t, "a accuracy", r.Members[0].Classification.Accuracy.Value, 1, 0)
}

func TestEvaluateVoteNumbers(t *testing.T) {
	// Members answer x+1 and x-3 with weights 3 and 1: the weighted mean
	// is x exactly, so the ensemble beats both (MAE 0 vs 1 and 3).
	vote := chain.Vote(chain.WeightedMean[float64](), []chain.Voter[float64, float64]{
		chain.Member("high", chain.Pure(func(x float64) float64 { return x + 1 })).Weight(3),
		chain.Member("low", chain.Pure(func(x float64) float64 { return x - 3 })),
	})
	data := []eval.Example[float64, float64]{{1, 1}, {2, 2}, {5, 5}}
	r, err := eval.EvaluateVoteNumbers(context.Background(), vote, data)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "ensemble MAE", r.Regression.MAE.Value, 0, 1e-12)
	near(t, "high MAE", r.Members[0].Regression.MAE.Value, 1, 1e-12)
	near(t, "low MAE", r.Members[1].Regression.MAE.Value, 3, 1e-12)
}

func TestEvaluateEmptyAndNonFinite(t *testing.T) {
	ctx := context.Background()
	r, err := eval.Evaluate(ctx, chain.Identity[string](), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := json.Marshal(r); err != nil || r.Examples != 0 {
		t.Errorf("empty report: %v, %+v", err, r)
	}
	nan := chain.Pure(func(x float64) float64 { return x / x }) // 0/0 is NaN
	n, err := eval.EvaluateNumbers(ctx, nan, []eval.Example[float64, float64]{{0, 1}, {2, 1}})
	if err != nil {
		t.Fatal(err)
	}
	if n.Errors != 1 || !strings.Contains(n.FirstErrors[0], "not a finite number") {
		t.Errorf("NaN answer: %d errors %q", n.Errors, n.FirstErrors)
	}
	near(t, "MAE", n.Regression.MAE.Value, 0, 0)
	if _, err := json.Marshal(n); err != nil {
		t.Errorf("NaN report does not marshal: %v", err)
	}
}

// The intervals depend on the data and the seed, not on how the examples
// were spread over workers.
func TestEvaluateReproducible(t *testing.T) {
	want, outs := handCase()
	table := map[int]string{}
	data := make([]eval.Example[int, string], len(want))
	for i := range want {
		data[i] = eval.Example[int, string]{Input: i, Want: want[i]}
		table[i] = outs[i].Output
	}
	c := chain.Fn(func(ctx context.Context, i int) (string, error) {
		if outs[i].Err != nil {
			return "", outs[i].Err
		}
		return table[i], nil
	})
	a, err := eval.Evaluate(context.Background(), c, data, eval.Concurrency(1), eval.Seed(5))
	if err != nil {
		t.Fatal(err)
	}
	b, err := eval.Evaluate(context.Background(), c, data, eval.Concurrency(8), eval.Seed(5))
	if err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(a.Classification)
	jb, _ := json.Marshal(b.Classification)
	if string(ja) != string(jb) {
		t.Errorf("reports differ:\n%s\n%s", ja, jb)
	}
}

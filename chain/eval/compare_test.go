package eval_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/eval"
)

// parity makes a dataset of n numbers labelled "even" or "odd".
func parity(n int) []eval.Example[int, string] {
	data := make([]eval.Example[int, string], n)
	for i := range data {
		data[i] = eval.Example[int, string]{Input: i, Want: []string{"even", "odd"}[i%2]}
	}
	return data
}

// rightWhen answers the parity of i when ok(i), the wrong one otherwise.
func rightWhen(name string, ok func(i int) bool) chain.Chain[int, string] {
	return chain.Named(name, chain.Pure(func(i int) string {
		if ok(i) == (i%2 == 0) {
			return "even"
		}
		return "odd"
	}))
}

func TestCompareClearlyBetter(t *testing.T) {
	// The champion is wrong on every third example, the challenger on
	// none: the challenger wins 20 of 60 discordant pairs to 0,
	// p = 2·2^-20 ≈ 1.9e-6.
	champion := rightWhen("old", func(i int) bool { return i%3 != 0 })
	challenger := rightWhen("new", func(int) bool { return true })
	cmp, err := eval.Compare(context.Background(), champion, challenger, parity(60))
	if err != nil {
		t.Fatal(err)
	}
	if cmp.Decision != eval.ChallengerBetter {
		t.Errorf("decision = %s, want challenger better\n%s", cmp.Decision, cmp)
	}
	if cmp.Test.ChallengerWins != 20 || cmp.Test.ChampionWins != 0 {
		t.Errorf("wins = %d/%d", cmp.Test.ChallengerWins, cmp.Test.ChampionWins)
	}
	near(t, "p", cmp.Test.PValue, 2/float64(1<<20), 1e-12)
	near(t, "improvement", cmp.Test.Improvement.Value, 20.0/60, 1e-12)
	if cmp.Champion.Name != "old" || cmp.Challenger.Name != "new" {
		t.Errorf("names %q %q", cmp.Champion.Name, cmp.Challenger.Name)
	}

	// Swapped, the challenger is worse.
	cmp, err = eval.Compare(context.Background(), challenger, champion, parity(60))
	if err != nil {
		t.Fatal(err)
	}
	if cmp.Decision != eval.ChallengerWorse {
		t.Errorf("swapped decision = %s, want challenger worse", cmp.Decision)
	}
}

func TestCompareIdentical(t *testing.T) {
	m := rightWhen("m", func(i int) bool { return i%4 != 0 })
	cmp, err := eval.Compare(context.Background(), m, m, parity(100))
	if err != nil {
		t.Fatal(err)
	}
	if cmp.Decision != eval.NoSignificantDifference || cmp.Test.PValue != 1 {
		t.Errorf("identical models: %s, p = %g", cmp.Decision, cmp.Test.PValue)
	}
}

func TestCompareSmallDifferenceNotSignificant(t *testing.T) {
	// Different mistakes, nearly as many: 10 against 12 discordant pairs.
	a := rightWhen("a", func(i int) bool { return i%10 != 0 })
	b := rightWhen("b", func(i int) bool { return i%10 != 5 && i%50 != 7 })
	cmp, err := eval.Compare(context.Background(), a, b, parity(100))
	if err != nil {
		t.Fatal(err)
	}
	if cmp.Decision != eval.NoSignificantDifference {
		t.Errorf("decision = %s (p = %g)", cmp.Decision, cmp.Test.PValue)
	}
}

func TestCompareCountsFailuresAsWrong(t *testing.T) {
	good := rightWhen("good", func(int) bool { return true })
	failing := chain.Fn(func(ctx context.Context, i int) (string, error) { return "", errors.New("down") })
	cmp, err := eval.Compare(context.Background(), good, chain.Chain[int, string](failing), parity(30))
	if err != nil {
		t.Fatal(err)
	}
	if cmp.Decision != eval.ChallengerWorse || cmp.Test.ChampionWins != 30 || cmp.Challenger.Errors != 30 {
		t.Errorf("failing challenger: %s, champion wins %d, errors %d", cmp.Decision, cmp.Test.ChampionWins, cmp.Challenger.Errors)
	}
}

func TestCompareNumbers(t *testing.T) {
	// The champion is off by 2 (with alternating sign), the challenger by
	// 1 except on every fifth example where it is exact: the challenger is
	// closer on all 40, Wilcoxon W+ = 40·41/2 = 820, p ≈ 2·2^-40.
	data := make([]eval.Example[float64, float64], 40)
	for i := range data {
		data[i] = eval.Example[float64, float64]{Input: float64(i), Want: float64(i)}
	}
	champion := chain.Pure(func(x float64) float64 { return x + 2 - 4*float64(int(x)%2) })
	challenger := chain.Pure(func(x float64) float64 {
		if int(x)%5 == 0 {
			return x
		}
		return x + 1
	})
	cmp, err := eval.CompareNumbers(context.Background(), champion, challenger, data)
	if err != nil {
		t.Fatal(err)
	}
	if cmp.Decision != eval.ChallengerBetter || cmp.Test.ChallengerWins != 40 || cmp.Test.Statistic != 820 {
		t.Errorf("decision %s, wins %d, W %g\n%s", cmp.Decision, cmp.Test.ChallengerWins, cmp.Test.Statistic, cmp)
	}
	// Improvement: champion MAE 2 minus challenger MAE (32/40 = 0.8) = 1.2.
	near(t, "improvement", cmp.Test.Improvement.Value, 1.2, 1e-12)

	same, err := eval.CompareNumbers(context.Background(), champion, champion, data)
	if err != nil {
		t.Fatal(err)
	}
	if same.Decision != eval.NoSignificantDifference || same.Test.PValue != 1 {
		t.Errorf("identical: %s p = %g", same.Decision, same.Test.PValue)
	}

	rev, err := eval.CompareNumbers(context.Background(), challenger, champion, data)
	if err != nil {
		t.Fatal(err)
	}
	if rev.Decision != eval.ChallengerWorse {
		t.Errorf("reversed: %s", rev.Decision)
	}
}

func TestComparisonOutput(t *testing.T) {
	cmp, err := eval.Compare(context.Background(), rightWhen("old", func(i int) bool { return i%3 != 0 }), rightWhen("new", func(int) bool { return true }), parity(30))
	if err != nil {
		t.Fatal(err)
	}
	text := cmp.String()
	for _, s := range []string{"challenger better (McNemar exact", "champion    old", "challenger  new"} {
		if !strings.Contains(text, s) {
			t.Errorf("text lacks %q:\n%s", s, text)
		}
	}
	b, err := json.Marshal(cmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"decision":"challenger better"`, `"p_value":`, `"champion_wins":0`, `"challenger_wins":10`, `"alpha":0.05`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON lacks %s", key)
		}
	}
}

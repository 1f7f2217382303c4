package chain_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/chorus-go/chorus/chain"
)

// says returns a member that always answers label.
func says(label string) chain.Chain[string, string] {
	return chain.Pure(func(string) string { return label })
}

func ExampleVote() {
	down := chain.Fn(func(ctx context.Context, text string) (string, error) {
		return "", errors.New("model down")
	})
	v := chain.Vote(chain.Majority[string](), []chain.Voter[string, string]{
		chain.Member("rules", says("invoice")),
		chain.Member("bayes", says("invoice")),
		chain.Member("mistral", down), // recorded in its ballot, not fatal
	}, chain.Quorum(2))
	verdict, err := v.Run(context.Background(), "Total due: 42 EUR")
	fmt.Printf("%s %.2f %v\n", verdict.Answer, verdict.Agreement, err)
	for _, b := range verdict.Ballots {
		fmt.Printf("%s: %q %v\n", b.Name, b.Answer, b.Err)
	}
	// Output:
	// invoice 1.00 <nil>
	// rules: "invoice" <nil>
	// bayes: "invoice" <nil>
	// mistral: "" mistral: model down
}

func ExampleMajority() {
	v := chain.Vote(chain.Majority[string](), []chain.Voter[string, string]{
		chain.Member("a", says("cat")),
		chain.Member("b", says("dog")),
		chain.Member("c", says("cat")),
	})
	verdict, _ := v.Run(context.Background(), "")
	fmt.Printf("%s %.2f\n", verdict.Answer, verdict.Agreement)
	// Output: cat 0.67
}

func ExampleWeighted() {
	v := chain.Vote(chain.Weighted[string](), []chain.Voter[string, string]{
		chain.Member("expert", says("dog")).Weight(3),
		chain.Member("a", says("cat")),
		chain.Member("b", says("cat")),
	})
	verdict, _ := v.Run(context.Background(), "")
	fmt.Printf("%s %.2f\n", verdict.Answer, verdict.Agreement)
	// Output: dog 0.60
}

func ExampleWeightedMean() {
	score := func(x float64) chain.Chain[string, float64] {
		return chain.Pure(func(string) float64 { return x })
	}
	v := chain.Vote(chain.WeightedMean[float64](), []chain.Voter[string, float64]{
		chain.Member("a", score(0.8)).Weight(2),
		chain.Member("b", score(0.5)),
	})
	verdict, _ := v.Run(context.Background(), "")
	fmt.Printf("%.2f %.2f\n", verdict.Answer, verdict.Agreement)
	// Output: 0.70 0.80
}

func ExampleWinner() {
	v := chain.Vote(chain.Majority[string](), []chain.Voter[string, string]{
		chain.Member("a", says("cat")),
		chain.Member("b", says("cat")),
	})
	// A stage whose output is the plain answer, not the Verdict.
	label := chain.Then(chain.Winner(v), chain.Pure(strings.ToUpper))
	out, _ := label.Run(context.Background(), "")
	fmt.Println(out)
	// Output: CAT
}

func ExampleRoute() {
	byLength := chain.RouterFunc[string, string](func(ctx context.Context, text string) (string, error) {
		if len(text) > 10 {
			return "long", nil
		}
		return "short", nil
	})
	r := chain.Route(byLength, map[string]chain.Chain[string, string]{
		"short": chain.Pure(strings.ToUpper),
		"long":  chain.Pure(func(s string) string { return s[:10] + "…" }),
	})
	for _, in := range []string{"hi", "a rather long text"} {
		out, _ := r.Run(context.Background(), in)
		fmt.Println(out)
	}
	// Output:
	// HI
	// a rather l…
}

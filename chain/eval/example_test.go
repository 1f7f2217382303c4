package eval_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/eval"
)

// Evaluate a keyword classifier of documents on a tiny labelled dataset.
// The bootstrap is seeded, so the intervals are the same on every run.
func Example() {
	classify := chain.Named("keywords", chain.Pure(func(text string) string {
		switch t := strings.ToLower(text); {
		case strings.Contains(t, "total"):
			return "invoice"
		case strings.Contains(t, "dear"):
			return "letter"
		}
		return "receipt"
	}))
	data := []eval.Example[string, string]{
		{Input: "Invoice 17, total due 120 EUR", Want: "invoice"},
		{Input: "Total: 42.00, pay within 30 days", Want: "invoice"},
		{Input: "Amount due 80 EUR by 1 March", Want: "invoice"},
		{Input: "Dear Ms Li, thank you for your letter", Want: "letter"},
		{Input: "Dear customer, we are moving", Want: "letter"},
		{Input: "Thank you for shopping, total 9.99", Want: "receipt"},
		{Input: "Card payment 12.50, change 0.00", Want: "receipt"},
		{Input: "Cash 5.00 received", Want: "receipt"},
	}

	report, err := eval.Evaluate(context.Background(), classify, data, eval.Seed(7))
	if err != nil {
		fmt.Println(err)
		return
	}
	report.Latency = eval.Latency{} // timings vary from run to run: leave them out
	fmt.Print(report)
	// Output:
	// keywords: 8 examples, 8 answered, 0 errors (error rate 0.000 [0.000, 0.324])
	//
	// metric             value  95% CI          method
	// accuracy           0.750  [0.409, 0.929]  wilson
	// precision (macro)  0.778  [0.417, 1.000]  bootstrap
	// recall (macro)     0.778  [0.417, 1.000]  bootstrap
	// F1 (macro)         0.778  [0.416, 1.000]  bootstrap
	// precision (micro)  0.750  [0.409, 0.929]  wilson
	// recall (micro)     0.750  [0.409, 0.929]  wilson
	// F1 (micro)         0.750  [0.375, 1.000]  bootstrap
	//
	// class    support  predicted  precision             recall                F1
	// invoice  3        3          0.667 [0.208, 0.939]  0.667 [0.208, 0.939]  0.667 [0.000, 1.000]
	// letter   2        2          1.000 [0.342, 1.000]  1.000 [0.342, 1.000]  1.000 [1.000, 1.000]
	// receipt  3        3          0.667 [0.208, 0.939]  0.667 [0.208, 0.939]  0.667 [0.000, 1.000]
	//
	// confusion (rows: want, columns: got)
	// want \ got  invoice  letter  receipt  (error)
	// invoice     2        0       1        0
	// letter      0        2       0        0
	// receipt     1        0       2        0
}

// Score a vote and its members from one run: the ensemble is right more
// often than any member, because the members err on different inputs.
func ExampleEvaluateVote() {
	// Each member is wrong on a different third of the inputs.
	member := func(wrongOn int) chain.Chain[int, bool] {
		return chain.Pure(func(i int) bool { return (i%2 == 0) != (i%3 == wrongOn) })
	}
	vote := chain.Named("ensemble", chain.Vote(chain.Majority[bool](), []chain.Voter[int, bool]{
		chain.Member("a", member(0)),
		chain.Member("b", member(1)),
		chain.Member("c", member(2)),
	}))
	data := make([]eval.Example[int, bool], 300)
	for i := range data {
		data[i] = eval.Example[int, bool]{Input: i, Want: i%2 == 0}
	}
	report, err := eval.EvaluateVote(context.Background(), vote, data)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%-8s accuracy %.3f\n", report.Name, report.Classification.Accuracy.Value)
	for _, m := range report.Members {
		fmt.Printf("%-8s accuracy %.3f\n", m.Name, m.Classification.Accuracy.Value)
	}
	// Output:
	// ensemble accuracy 1.000
	// a        accuracy 0.667
	// b        accuracy 0.667
	// c        accuracy 0.667
}

// Decide whether a new model may replace the old one.
func ExampleCompare() {
	data := make([]eval.Example[int, string], 200)
	for i := range data {
		data[i] = eval.Example[int, string]{Input: i, Want: []string{"even", "odd"}[i%2]}
	}
	parity := func(name string, wrong func(int) bool) chain.Chain[int, string] {
		return chain.Named(name, chain.Pure(func(i int) string {
			if (i%2 == 0) != wrong(i) {
				return "even"
			}
			return "odd"
		}))
	}
	old := parity("v1", func(i int) bool { return i%5 == 0 })   // wrong on 40
	next := parity("v2", func(i int) bool { return i%20 == 1 }) // wrong on 10
	cmp, err := eval.Compare(context.Background(), old, next, data)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: p = %.2g, %d against %d\n", cmp.Decision, cmp.Test.PValue, cmp.Test.ChallengerWins, cmp.Test.ChampionWins)
	// Output:
	// challenger better: p = 2.4e-05, 40 against 10
}

package eval_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/eval"
)

// BenchmarkEvaluate evaluates a five-class classifier that is right 80%
// of the time on 10,000 examples, with the default 1000 bootstrap
// resamples and with the bootstrap off, to show what the intervals cost.
func BenchmarkEvaluate(b *testing.B) {
	const n = 10_000
	labels := []string{"invoice", "receipt", "letter", "contract", "form"}
	rng := rand.New(rand.NewPCG(1, 1))
	data := make([]eval.Example[int, string], n)
	answers := make([]string, n)
	for i := range data {
		data[i] = eval.Example[int, string]{Input: i, Want: labels[rng.IntN(len(labels))]}
		answers[i] = data[i].Want
		if rng.Float64() < 0.2 {
			answers[i] = labels[rng.IntN(len(labels))]
		}
	}
	classify := chain.Pure(func(i int) string { return answers[i] })
	for _, resamples := range []int{1000, 0} {
		b.Run(fmt.Sprintf("10k/resamples=%d", resamples), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := eval.Evaluate(context.Background(), classify, data, eval.Resamples(resamples)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "examples/s")
		})
	}
}

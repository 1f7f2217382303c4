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

// BenchmarkRegistryRun measures what routing through a Registry adds to
// a call of the current version.
func BenchmarkRegistryRun(b *testing.B) {
	model := chain.Pure(func(x int) int { return x + 1 })
	r := eval.NewRegistry[int, int]("model")
	if err := r.Register("v1", model); err != nil {
		b.Fatal(err)
	}
	if err := r.Promote("v1"); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = model.Run(ctx, 1)
		}
	})
	b.Run("registry", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = r.Run(ctx, 1)
		}
	})
	b.Run("registry/parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				_, _ = r.Run(ctx, 1)
			}
		})
	})
}

// BenchmarkDriftMonitor measures the cost per call of watching two
// numeric and one categorical feature over a 1000-input window: the
// extractor's maps, the window update and the checks.
func BenchmarkDriftMonitor(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	ref := eval.ReferenceFrom(docs(rng, 2000, 100, 10, 0.02, "en", "fr", "de"), docFeatures)
	stream := docs(rng, 4096, 100, 10, 0.02, "en", "fr", "de")
	model := chain.Pure(func(d doc) string { return d.Lang })
	ctx := context.Background()
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			_, _ = model.Run(ctx, stream[i%len(stream)])
			i++
		}
	})
	b.Run("monitored", func(b *testing.B) {
		monitored := eval.Monitor(model, eval.NewDriftMonitor(docFeatures, ref))
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			_, _ = monitored.Run(ctx, stream[i%len(stream)])
			i++
		}
	})
	b.Run("monitor-only", func(b *testing.B) {
		// The extractor's maps built beforehand: what the monitor itself
		// costs.
		feats := make([]eval.Features, len(stream))
		for i, d := range stream {
			feats[i] = docFeatures(d)
		}
		m := eval.NewDriftMonitor(func(i int) eval.Features { return feats[i] }, ref)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			m.Observe(ctx, i%len(feats))
			i++
		}
	})
	b.Run("monitored/parallel", func(b *testing.B) {
		monitored := eval.Monitor(model, eval.NewDriftMonitor(docFeatures, ref))
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				_, _ = monitored.Run(ctx, stream[i%len(stream)])
				i++
			}
		})
	})
}

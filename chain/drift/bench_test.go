package drift_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/drift"
)

// BenchmarkMonitor measures the cost per call of watching two
// numeric and one categorical feature over a 1000-input window: the
// extractor's maps, the window update and the checks.
func BenchmarkMonitor(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	ref := drift.ReferenceFrom(docs(rng, 2000, 100, 10, 0.02, "en", "fr", "de"), docFeatures)
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
		monitored := drift.Watch(model, drift.MustMonitor(docFeatures, ref))
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
		feats := make([]drift.Features, len(stream))
		for i, d := range stream {
			feats[i] = docFeatures(d)
		}
		m := drift.MustMonitor(func(i int) drift.Features { return feats[i] }, ref)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			m.Observe(ctx, i%len(feats))
			i++
		}
	})
	b.Run("monitored/parallel", func(b *testing.B) {
		monitored := drift.Watch(model, drift.MustMonitor(docFeatures, ref))
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

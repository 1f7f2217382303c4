package prom_test

import (
	"context"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/prom"
)

// BenchmarkHook measures what the Prometheus hook adds to a call of one
// named node: the in-flight gauge, the duration histogram and the lookup
// of the node's metrics.
func BenchmarkHook(b *testing.B) {
	node := chain.Named("model", chain.Pure(func(x int) int { return x + 1 }))
	b.Run("no hooks", func(b *testing.B) {
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			_, _ = node.Run(ctx, 1)
		}
	})
	b.Run("prometheus", func(b *testing.B) {
		h := prom.MustHook()
		prometheus.NewRegistry().MustRegister(h)
		ctx := chain.WithHooks(context.Background(), h)
		b.ReportAllocs()
		for b.Loop() {
			_, _ = node.Run(ctx, 1)
		}
	})
	b.Run("prometheus/parallel", func(b *testing.B) {
		h := prom.MustHook()
		prometheus.NewRegistry().MustRegister(h)
		ctx := chain.WithHooks(context.Background(), h)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				_, _ = node.Run(ctx, 1)
			}
		})
	})
}

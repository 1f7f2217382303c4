package rollout_test

import (
	"context"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/rollout"
)

// BenchmarkRegistryRun measures what routing through a Registry adds to
// a call of the current version.
func BenchmarkRegistryRun(b *testing.B) {
	model := chain.Pure(func(x int) int { return x + 1 })
	r := rollout.NewRegistry[int, int]("model")
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

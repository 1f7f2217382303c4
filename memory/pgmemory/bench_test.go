package pgmemory

import (
	"context"
	"testing"

	"github.com/chorus-go/chorus/memory"
	"github.com/chorus-go/chorus/memory/memorytest"
)

func BenchmarkPostgres(b *testing.B) {
	pool := testPool(b)
	memorytest.BenchmarkStore(b, func(b *testing.B) memory.Store { return newStore(b, pool) })
}

// BenchmarkRoundTrip is the baseline for BenchmarkPostgres: one SELECT 1.
func BenchmarkRoundTrip(b *testing.B) {
	pool := testPool(b)
	ctx := context.Background()
	var n int
	for b.Loop() {
		if err := pool.QueryRow(ctx, "SELECT 1").Scan(&n); err != nil {
			b.Fatal(err)
		}
	}
}

package chain_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
)

// A breaker renamed with Named is the same breaker: tripping it through
// either handle opens it for both.
func TestNamedBreakerSharesState(t *testing.T) {
	for _, through := range []string{"named", "original"} {
		t.Run("trip through "+through, func(t *testing.T) {
			m := &switchable{}
			m.down.Store(true)
			b := chain.Breaker[int, int](m, chain.Threshold(2), chain.Cooldown(time.Hour))
			named := chain.Named("gpt", chain.Chain[int, int](b))
			trip, other := named, chain.Chain[int, int](b)
			if through == "original" {
				trip, other = other, trip
			}
			for range 2 {
				if _, err := trip.Run(context.Background(), 1); !errors.Is(err, errDown) {
					t.Fatalf("trip: %v", err)
				}
			}
			if b.State() != chain.Open {
				t.Fatalf("original handle sees %v, want open", b.State())
			}
			if s := chain.Describe(named).Chain.(interface{ State() chain.BreakerState }).State(); s != chain.Open {
				t.Fatalf("named handle sees %v, want open", s)
			}
			calls := m.calls.Load()
			if _, err := other.Run(context.Background(), 1); !errors.Is(err, chain.ErrOpen) {
				t.Fatalf("other handle: %v, want ErrOpen", err)
			}
			if m.calls.Load() != calls {
				t.Fatal("the open breaker let a call through the other handle")
			}
		})
	}
}

// Callers of a batch and of its renamed handle land in the same batched
// call.
func TestNamedBatchSharesBatches(t *testing.T) {
	d := &doubler{}
	b := chain.Batch[int, int](d, chain.MaxSize(4), chain.MaxWait(time.Hour))
	named := chain.Named("embed", b)
	// Separate batches would wait for MaxWait: fail in seconds instead.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	results := make([]int, 4)
	errs := make([]error, 4)
	for i := range 4 {
		c := b
		if i%2 == 1 {
			c = named
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = c.Run(ctx, i+1)
		}()
	}
	wg.Wait()
	for i := range 4 {
		if errs[i] != nil || results[i] != 2*(i+1) {
			t.Errorf("caller %d: %d, %v", i, results[i], errs[i])
		}
	}
	// MaxWait is an hour: only a full batch of all four callers, from
	// both handles, could have been sent.
	if got := d.batches(); len(got) != 1 || got[0] != 4 {
		t.Fatalf("batches %v, want one of 4", got)
	}
}

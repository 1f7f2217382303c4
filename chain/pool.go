package chain

import (
	"context"
	"sync"
	"sync/atomic"
)

// fanOut calls do(ctx, i) for i in [0, n) on at most limit goroutines (the
// caller's own among them; limit <= 0 means n). With failFast, the first
// error cancels the context the other calls see and is returned; without
// it, every call runs and fanOut returns nil. It returns only when every
// call has returned, so no goroutine outlives it.
func fanOut(ctx context.Context, n, limit int, failFast bool, do func(ctx context.Context, i int) error) error {
	if n == 0 {
		return nil
	}
	if limit <= 0 || limit > n {
		limit = n
	}
	var (
		cancel   context.CancelFunc = func() {}
		next     atomic.Int64
		errOnce  sync.Once
		firstErr error
	)
	if failFast {
		ctx, cancel = context.WithCancel(ctx)
	}
	defer cancel()
	worker := func() {
		for {
			i := int(next.Add(1) - 1)
			if i >= n {
				return
			}
			if failFast && ctx.Err() != nil {
				errOnce.Do(func() { firstErr = context.Cause(ctx) })
				return
			}
			if err := do(ctx, i); err != nil && failFast {
				errOnce.Do(func() { firstErr = err })
				cancel()
				return
			}
		}
	}
	var wg sync.WaitGroup
	for w := 1; w < limit; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			worker()
		}()
	}
	worker()
	wg.Wait()
	return firstErr
}

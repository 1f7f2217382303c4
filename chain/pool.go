package chain

import (
	"context"
	"sync"
	"sync/atomic"
)

// fan is the state one fanOut call shares with its workers, gathered in a
// single allocation.
type fan struct {
	ctx      context.Context
	cancel   context.CancelFunc
	do       func(ctx context.Context, i int) error
	n        int
	failFast bool
	next     atomic.Int64
	errOnce  sync.Once
	firstErr error
	wg       sync.WaitGroup
}

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
	if limit == 1 {
		// The caller's goroutine alone: no shared state, and nothing to
		// cancel, since it stops at its own first error.
		for i := range n {
			if failFast {
				if ctx.Err() != nil {
					return context.Cause(ctx)
				}
				if err := do(ctx, i); err != nil {
					return err
				}
				continue
			}
			_ = do(ctx, i)
		}
		return nil
	}
	f := &fan{ctx: ctx, do: do, n: n, failFast: failFast}
	if failFast {
		f.ctx, f.cancel = context.WithCancel(ctx)
		defer f.cancel()
	}
	f.wg.Add(limit - 1)
	for w := 1; w < limit; w++ {
		go f.background()
	}
	f.work()
	f.wg.Wait()
	return f.firstErr
}

func (f *fan) background() {
	defer f.wg.Done()
	f.work()
}

func (f *fan) work() {
	for {
		i := int(f.next.Add(1) - 1)
		if i >= f.n {
			return
		}
		if f.failFast && f.ctx.Err() != nil {
			f.errOnce.Do(func() { f.firstErr = context.Cause(f.ctx) })
			return
		}
		if err := f.do(f.ctx, i); err != nil && f.failFast {
			f.errOnce.Do(func() { f.firstErr = err })
			f.cancel()
			return
		}
	}
}

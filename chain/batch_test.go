package chain_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
)

// doubler is a batched model: it records batch sizes and doubles each item.
type doubler struct {
	mu    sync.Mutex
	sizes []int
	delay time.Duration
	err   error
	short bool
}

func (d *doubler) Run(ctx context.Context, xs []int) ([]int, error) {
	d.mu.Lock()
	d.sizes = append(d.sizes, len(xs))
	d.mu.Unlock()
	if d.delay > 0 {
		select {
		case <-time.After(d.delay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if d.err != nil {
		return nil, d.err
	}
	out := make([]int, len(xs))
	for i, x := range xs {
		out[i] = 2 * x
	}
	if d.short {
		out = out[1:]
	}
	return out, nil
}

func (d *doubler) batches() []int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]int(nil), d.sizes...)
}

func TestBatchThousandCallersSomeCancelling(t *testing.T) {
	d := &doubler{delay: time.Millisecond}
	// A generous MaxWait keeps batches full even when the machine is loaded;
	// the cancelling callers then leave batches still being gathered.
	b := chain.Batch[int, int](d, chain.MaxSize(50), chain.MaxWait(20*time.Millisecond))
	const n = 1000
	var wg sync.WaitGroup
	var ok, cancelled atomic.Int32
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			if i%10 == 0 { // every tenth caller gives up at once or soon
				c, cancel := context.WithTimeout(ctx, time.Duration(i%3)*time.Millisecond)
				defer cancel()
				ctx = c
			}
			got, err := b.Run(ctx, i)
			switch {
			case err == nil && got == 2*i:
				ok.Add(1)
			case err == nil:
				errs <- errors.New("wrong result")
			case i%10 == 0 && errors.Is(err, context.DeadlineExceeded):
				cancelled.Add(1)
			default:
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if ok.Load()+cancelled.Load() != n || ok.Load() < n*9/10 {
		t.Fatalf("ok %d cancelled %d", ok.Load(), cancelled.Load())
	}
	total := 0
	for _, s := range d.batches() {
		if s > 50 || s < 1 {
			t.Fatalf("batch of %d", s)
		}
		total += s
	}
	if total < int(ok.Load()) || len(d.batches()) >= n/2 {
		t.Fatalf("%d items in %d batches for %d answered", total, len(d.batches()), ok.Load())
	}
	t.Logf("%d callers answered, %d cancelled, in %d batched calls", ok.Load(), cancelled.Load(), len(d.batches()))
}

func TestBatchCancelledCallerLeavesBatch(t *testing.T) {
	d := &doubler{}
	b := chain.Batch[int, int](d, chain.MaxSize(10), chain.MaxWait(50*time.Millisecond))
	ctx, cancel := context.WithCancel(context.Background())
	gone := make(chan error, 1)
	go func() { _, err := b.Run(ctx, 1); gone <- err }()
	time.Sleep(5 * time.Millisecond) // let it join the pending batch
	cancel()
	if err := <-gone; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if got, err := b.Run(context.Background(), 2); got != 4 || err != nil {
		t.Fatal(got, err)
	}
	for _, s := range d.batches() {
		if s != 1 {
			t.Fatalf("batches %v: the cancelled item was sent", d.batches())
		}
	}
}

func TestBatchMaxWaitFlushesPartialBatch(t *testing.T) {
	d := &doubler{}
	b := chain.Batch[int, int](d, chain.MaxSize(100), chain.MaxWait(time.Millisecond))
	if got, err := b.Run(context.Background(), 21); got != 42 || err != nil {
		t.Fatal(got, err)
	}
}

func TestBatchErrorsReachEveryCaller(t *testing.T) {
	boom := errors.New("server down")
	for _, d := range []*doubler{{err: boom}, {short: true}} {
		b := chain.Batch[int, int](d, chain.MaxSize(4), chain.MaxWait(time.Second))
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range 4 {
			wg.Add(1)
			go func() { defer wg.Done(); _, errs[i] = b.Run(context.Background(), i) }()
		}
		wg.Wait()
		for i, err := range errs {
			if d.err != nil && !errors.Is(err, boom) || d.short && !errors.Is(err, chain.ErrBatchSize) {
				t.Fatalf("caller %d: %v", i, err)
			}
		}
	}
	p := chain.Batch(chain.Fn(func(ctx context.Context, xs []int) ([]int, error) { panic("batch") }), chain.MaxWait(time.Millisecond))
	if _, err := p.Run(context.Background(), 1); !errors.Is(err, chain.ErrPanic) {
		t.Fatalf("panic: %v", err)
	}
}

func TestBatchAllCallersGoneCancelsCall(t *testing.T) {
	sawCancel := make(chan struct{})
	started := make(chan struct{})
	slow := chain.Fn(func(ctx context.Context, xs []int) ([]int, error) {
		close(started)
		<-ctx.Done()
		close(sawCancel)
		return nil, ctx.Err()
	})
	b := chain.Batch(slow, chain.MaxSize(1))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := b.Run(ctx, 1); done <- err }()
	<-started
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	select {
	case <-sawCancel:
	case <-time.After(5 * time.Second):
		t.Fatal("batched call not cancelled after its only caller left")
	}
}

// A batch whose callers all left before it was sent is dropped: a caller
// arriving later gets a fresh batch, not one whose context was cancelled.
func TestBatchAbandonedBatchIsNotReused(t *testing.T) {
	ctxAware := chain.Fn(func(ctx context.Context, xs []int) ([]int, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return xs, nil
	})
	b := chain.Batch(ctxAware, chain.MaxSize(10), chain.MaxWait(50*time.Millisecond))
	ctx, cancel := context.WithCancel(context.Background())
	gone := make(chan error, 1)
	go func() { _, err := b.Run(ctx, 1); gone <- err }()
	time.Sleep(5 * time.Millisecond) // let it open a batch
	cancel()
	if err := <-gone; !errors.Is(err, context.Canceled) {
		t.Fatalf("first caller: %v", err)
	}
	if got, err := b.Run(context.Background(), 2); got != 2 || err != nil {
		t.Fatalf("second caller: %v, %v", got, err)
	}
}

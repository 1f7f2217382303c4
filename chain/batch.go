package chain

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// BatchOption configures Batch.
type BatchOption func(*batchConfig)

type batchConfig struct {
	maxSize int
	maxWait time.Duration
}

// MaxSize sets the most items in one batched call (default 64). It panics
// if n < 1.
func MaxSize(n int) BatchOption {
	if n < 1 {
		panic(configError("MaxSize", "size must be at least 1, got %d", n))
	}
	return func(c *batchConfig) { c.maxSize = n }
}

// MaxWait sets the longest an item waits for its batch to fill before the
// batch is sent anyway (default 5ms), so that no caller starves. It panics
// if d <= 0.
func MaxWait(d time.Duration) BatchOption {
	if d <= 0 {
		panic(configError("MaxWait", "wait must be positive, got %v", d))
	}
	return func(c *batchConfig) { c.maxWait = d }
}

// Batch turns a chain over slices (an embedding model taking many texts, a
// classifier scoring many rows) into a chain over single items with dynamic
// batching: concurrent calls are gathered into one call of up to MaxSize
// items, sent when it is full or MaxWait after its first item arrived, and
// each caller gets its own result. A caller whose ctx ends before the batch
// is sent is taken out of it; after that it just stops waiting. An error of
// the batched call reaches every caller in that batch; so does
// ErrBatchSize when it returns a different number of results than items.
// The batched call runs under a context that keeps the first caller's
// values and is cancelled when every caller in the batch has stopped
// waiting.
func Batch[I, O any](many Chain[[]I, []O], opts ...BatchOption) Chain[I, O] {
	if isNil(many) {
		panic(configError("Batch", "nil chain"))
	}
	cfg := batchConfig{maxSize: 64, maxWait: 5 * time.Millisecond}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	return &batcher[I, O]{meta: newMeta(KindBatch), batchCore: &batchCore[I, O]{many: many, cfg: cfg}}
}

// batcher is one handle of a batch: handles renamed with Named share the
// batchCore, so their callers' items land in the same batched calls.
type batcher[I, O any] struct {
	meta
	*batchCore[I, O]
}

type batchCore[I, O any] struct {
	many Chain[[]I, []O]
	cfg  batchConfig

	mu  sync.Mutex
	cur *batch[I, O] // the batch still taking items, if any
}

// batch is one batched call being gathered or run. Its fields are guarded
// by the batcher's mutex until sent is set; waiters' results are written
// before done is closed.
type batch[I, O any] struct {
	items   []I
	waiters []*waiter[O]
	timer   *time.Timer
	sent    bool
	waiting int // callers still waiting on this batch
	ctx     context.Context
	cancel  context.CancelFunc
}

type waiter[O any] struct {
	done chan struct{}
	gone bool // left before the batch was sent
	out  O
	err  error
}

func (b *batcher[I, O]) Run(ctx context.Context, in I) (O, error) {
	return observe(ctx, &b.meta, in, b.run)
}

func (b *batcher[I, O]) run(ctx context.Context, in I) (O, error) {
	var zero O
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	w := &waiter[O]{done: make(chan struct{})}
	b.mu.Lock()
	bt := b.cur
	if bt == nil {
		bctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		bt = &batch[I, O]{ctx: bctx, cancel: cancel, items: make([]I, 0, b.cfg.maxSize), waiters: make([]*waiter[O], 0, b.cfg.maxSize)}
		b.cur = bt
		bt.timer = time.AfterFunc(b.cfg.maxWait, func() { b.flush(bt) })
	}
	bt.items = append(bt.items, in)
	bt.waiters = append(bt.waiters, w)
	bt.waiting++
	full := len(bt.items) >= b.cfg.maxSize
	if full {
		b.cur = nil
	}
	b.mu.Unlock()
	if full && bt.timer.Stop() {
		go b.flush(bt)
	}

	select {
	case <-w.done:
		return w.out, w.err
	case <-ctx.Done():
	}
	b.mu.Lock()
	select {
	case <-w.done: // the result came as ctx ended: prefer it
		b.mu.Unlock()
		return w.out, w.err
	default:
	}
	if !bt.sent {
		w.gone = true
	}
	bt.waiting--
	if bt.waiting == 0 {
		if !bt.sent && b.cur == bt {
			// Nobody is left to send it for: close it, so that a later
			// caller opens a fresh batch rather than join a cancelled one.
			// Should its timer have fired already, flush finds no items.
			b.cur = nil
			bt.timer.Stop()
		}
		bt.cancel()
	}
	b.mu.Unlock()
	return zero, ctx.Err()
}

// flush sends a batch: called once per batch, by its timer or by the caller
// that filled it.
func (b *batcher[I, O]) flush(bt *batch[I, O]) {
	b.mu.Lock()
	if b.cur == bt {
		b.cur = nil
	}
	bt.sent = true
	items, waiters := bt.items, bt.waiters
	if len(waiters) != bt.waiting { // some callers left: send only the others
		items, waiters = make([]I, 0, bt.waiting), make([]*waiter[O], 0, bt.waiting)
		for i, w := range bt.waiters {
			if !w.gone {
				items = append(items, bt.items[i])
				waiters = append(waiters, w)
			}
		}
	}
	b.mu.Unlock()
	defer bt.cancel()
	if len(items) == 0 {
		return
	}
	Emit(bt.ctx, Event{Kind: EventBatch, Name: b.info.Name, Size: len(items)})
	outs, err := SafeRun(bt.ctx, b.many, items)
	if err == nil && len(outs) != len(items) {
		err = fmt.Errorf("%w: %d results for %d items", ErrBatchSize, len(outs), len(items))
	}
	for i, w := range waiters {
		if err != nil {
			w.err = err
		} else {
			w.out = outs[i]
		}
		close(w.done)
	}
}

func (b *batcher[I, O]) Describe() Node {
	return Node{Kind: KindBatch, Name: b.nodeName(), Detail: fmt.Sprintf("max %d, wait %v", b.cfg.maxSize, b.cfg.maxWait), Children: []Node{Describe(b.many)}, Chain: b}
}

func (b *batcher[I, O]) rename(name string) any {
	return &batcher[I, O]{meta: b.meta.renamed(name), batchCore: b.batchCore}
}

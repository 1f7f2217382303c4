package chain_test

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
)

func TestParallelOrderAndLimit(t *testing.T) {
	var running, peak atomic.Int32
	branch := func(n int) chain.Chain[int, int] {
		return chain.Fn(func(ctx context.Context, x int) (int, error) {
			cur := running.Add(1)
			for {
				p := peak.Load()
				if cur <= p || peak.CompareAndSwap(p, cur) {
					break
				}
			}
			time.Sleep(time.Duration(10-n) * time.Millisecond) // later branches finish first
			running.Add(-1)
			return x * n, nil
		})
	}
	var branches []chain.Chain[int, int]
	for i := 1; i <= 8; i++ {
		branches = append(branches, branch(i))
	}
	got, err := chain.Parallel(branches, chain.Limit(3)).Run(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{2, 4, 6, 8, 10, 12, 14, 16}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if p := peak.Load(); p > 3 || p < 2 {
		t.Fatalf("peak concurrency %d, want at most 3 (and some overlap)", p)
	}
}

func TestParallelFailFastCancelsSiblings(t *testing.T) {
	boom := errors.New("boom")
	started := make(chan struct{}, 2)
	siblingErr := make(chan error, 2)
	slow := chain.Fn(func(ctx context.Context, _ int) (int, error) {
		started <- struct{}{}
		<-ctx.Done()
		siblingErr <- ctx.Err()
		return 0, ctx.Err()
	})
	failing := chain.Fn(func(ctx context.Context, _ int) (int, error) {
		<-started
		<-started
		return 0, boom
	})
	_, err := chain.Parallel([]chain.Chain[int, int]{slow, slow, failing}).Run(context.Background(), 1)
	var be *chain.BranchError
	if !errors.Is(err, boom) || !errors.As(err, &be) || be.Index != 2 {
		t.Fatalf("err = %v, want branch 2's boom", err)
	}
	for range 2 {
		if e := <-siblingErr; !errors.Is(e, context.Canceled) {
			t.Fatalf("sibling saw %v", e)
		}
	}
}

func TestParallelAllCollects(t *testing.T) {
	boom := errors.New("boom")
	got, err := chain.ParallelAll([]chain.Chain[int, int]{add(1), fail[int](boom), add(3)}).Run(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Value != 2 || got[2].Value != 4 || !errors.Is(got[1].Err, boom) || got[0].Err != nil {
		t.Fatalf("got %+v", got)
	}
}

func TestParallelPanicInBranch(t *testing.T) {
	p := chain.Fn(func(ctx context.Context, _ int) (int, error) { panic("branch") })
	_, err := chain.Parallel([]chain.Chain[int, int]{add(1), p}).Run(context.Background(), 1)
	if !errors.Is(err, chain.ErrPanic) {
		t.Fatalf("err = %v", err)
	}
	res, _ := chain.ParallelAll([]chain.Chain[int, int]{add(1), p}).Run(context.Background(), 1)
	if !errors.Is(res[1].Err, chain.ErrPanic) {
		t.Fatalf("res = %+v", res)
	}
}

func TestParallelCancel(t *testing.T) {
	started := make(chan struct{}, 3)
	bs := []chain.Chain[int, int]{block[int](started), block[int](started), block[int](started)}
	p := chain.Parallel(bs)
	cancelAfterStart(t, func(ctx context.Context) ([]int, error) { return p.Run(ctx, 1) }, started, 3)
	pa := chain.ParallelAll(bs, chain.Limit(2))
	cancelAfterStart(t, func(ctx context.Context) ([]chain.Settled[int], error) { return pa.Run(ctx, 1) }, started, 2)
	j := chain.Join(block[int](started), block[string](started))
	cancelAfterStart(t, func(ctx context.Context) (chain.Pair[int, string], error) { return j.Run(ctx, 1) }, started, 2)
}

func TestJoin(t *testing.T) {
	j := chain.Join(add(1), chain.Pure(func(x int) string { return "n" }))
	got, err := j.Run(context.Background(), 1)
	if err != nil || got.First != 2 || got.Second != "n" {
		t.Fatalf("got %+v, %v", got, err)
	}
	boom := errors.New("boom")
	if _, err := chain.Join(add(1), fail[string](boom)).Run(context.Background(), 1); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
}

func TestMap(t *testing.T) {
	var running, peak atomic.Int32
	c := chain.Fn(func(ctx context.Context, x int) (int, error) {
		cur := running.Add(1)
		for p := peak.Load(); cur > p && !peak.CompareAndSwap(p, cur); p = peak.Load() {
		}
		time.Sleep(time.Millisecond)
		running.Add(-1)
		return x * x, nil
	})
	in := make([]int, 50)
	for i := range in {
		in[i] = i
	}
	got, err := chain.Map(c, chain.Limit(4)).Run(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range got {
		if v != i*i {
			t.Fatalf("got[%d] = %d", i, v)
		}
	}
	if peak.Load() > 4 {
		t.Fatalf("peak %d > limit 4", peak.Load())
	}
	if got, err := chain.Map(c).Run(context.Background(), nil); err != nil || len(got) != 0 {
		t.Fatalf("empty: %v %v", got, err)
	}
	boom := errors.New("boom")
	bad := chain.Fn(func(ctx context.Context, x int) (int, error) {
		if x == 7 {
			return 0, boom
		}
		return x, nil
	})
	_, err = chain.Map(bad, chain.Limit(2)).Run(context.Background(), in)
	var ie *chain.ItemError
	if !errors.As(err, &ie) || ie.Index != 7 || !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	started := make(chan struct{}, 2)
	m := chain.Map(block[int](started), chain.Limit(2))
	cancelAfterStart(t, func(ctx context.Context) ([]int, error) { return m.Run(ctx, []int{1, 2, 3, 4}) }, started, 2)
}

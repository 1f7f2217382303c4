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

// Package-level sinks keep the compiler from eliminating the benchmarked
// calls as dead code.
var (
	benchSinkInt     int
	benchSinkInts    []int
	benchSinkErr     error
	benchSinkVerdict chain.Verdict[int]
	benchSinkPair    chain.Pair[int, int]
)

// benchInc is the trivial stage every benchmark runs. It is not inlined, so
// the direct call costs a real call, as a stage called through a Chain does.
//
//go:noinline
func benchInc(_ context.Context, x int) (int, error) { return x + 1, nil }

// benchSleep is the stage of the latency benchmarks: it sleeps 1ms.
func benchSleep(_ context.Context, x int) (int, error) {
	time.Sleep(time.Millisecond)
	return x + 1, nil
}

// benchRun measures one call of c per op.
func benchRun(b *testing.B, ctx context.Context, c chain.Chain[int, int]) {
	b.Helper()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		v, err := c.Run(ctx, i)
		benchSinkInt, benchSinkErr = v, err
	}
	if benchSinkErr != nil {
		b.Fatal(benchSinkErr)
	}
}

func benchHooksCtx() context.Context {
	return chain.WithHooks(context.Background(), chain.HookFuncs{})
}

// --- 1. baseline ---

func BenchmarkDirect(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		v, err := benchInc(ctx, i)
		benchSinkInt, benchSinkErr = v, err
	}
}

// --- 2. one call through each combinator ---

func BenchmarkFuncRun(b *testing.B) {
	ctx := context.Background()
	f := chain.Func[int, int](benchInc)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		v, err := f.Run(ctx, i)
		benchSinkInt, benchSinkErr = v, err
	}
}

func BenchmarkFn(b *testing.B) {
	benchRun(b, context.Background(), chain.Fn(benchInc))
}

func BenchmarkNamed(b *testing.B) {
	benchRun(b, context.Background(), chain.Named("inc", chain.Fn(benchInc)))
}

func BenchmarkNamedHooks(b *testing.B) {
	benchRun(b, benchHooksCtx(), chain.Named("inc", chain.Fn(benchInc)))
}

func BenchmarkThen(b *testing.B) {
	benchRun(b, context.Background(), chain.Then[int, int, int](chain.Fn(benchInc), chain.Fn(benchInc)))
}

func BenchmarkThenHooks(b *testing.B) {
	benchRun(b, benchHooksCtx(), chain.Then[int, int, int](chain.Fn(benchInc), chain.Fn(benchInc)))
}

func BenchmarkRetry(b *testing.B) {
	benchRun(b, context.Background(), chain.Retry[int, int](chain.Fn(benchInc)))
}

func BenchmarkRetryHooks(b *testing.B) {
	benchRun(b, benchHooksCtx(), chain.Retry[int, int](chain.Fn(benchInc)))
}

func BenchmarkTimeout(b *testing.B) {
	benchRun(b, context.Background(), chain.Timeout[int, int](chain.Fn(benchInc), time.Minute))
}

func BenchmarkFallback(b *testing.B) {
	benchRun(b, context.Background(), chain.Fallback[int, int](chain.Fn(benchInc), chain.Fn(benchInc)))
}

func BenchmarkBreaker(b *testing.B) {
	benchRun(b, context.Background(), chain.Breaker[int, int](chain.Fn(benchInc)))
}

func BenchmarkRoute(b *testing.B) {
	keys := [3]string{"a", "b", "c"}
	router := chain.RouterFunc[int, string](func(_ context.Context, x int) (string, error) {
		return keys[x%3], nil
	})
	routes := map[string]chain.Chain[int, int]{
		"a": chain.Fn(benchInc),
		"b": chain.Fn(benchInc),
		"c": chain.Fn(benchInc),
	}
	benchRun(b, context.Background(), chain.Route[int, int, string](router, routes))
}

func BenchmarkVote(b *testing.B) {
	vote := chain.Vote(chain.Majority[int](), []chain.Voter[int, int]{
		chain.Member[int, int]("a", chain.Fn(benchInc)),
		chain.Member[int, int]("b", chain.Fn(benchInc)),
		chain.Member[int, int]("c", chain.Fn(benchInc)),
	})
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		v, err := vote.Run(ctx, i)
		benchSinkVerdict, benchSinkErr = v, err
	}
	if benchSinkErr != nil {
		b.Fatal(benchSinkErr)
	}
}

func BenchmarkParallel(b *testing.B) {
	p := chain.Parallel([]chain.Chain[int, int]{chain.Fn(benchInc), chain.Fn(benchInc)})
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		v, err := p.Run(ctx, i)
		benchSinkInts, benchSinkErr = v, err
	}
	if benchSinkErr != nil {
		b.Fatal(benchSinkErr)
	}
}

func BenchmarkMap1(b *testing.B) {
	m := chain.Map[int, int](chain.Fn(benchInc))
	ctx := context.Background()
	in := []int{1}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		v, err := m.Run(ctx, in)
		benchSinkInts, benchSinkErr = v, err
	}
	if benchSinkErr != nil {
		b.Fatal(benchSinkErr)
	}
}

func BenchmarkJoin(b *testing.B) {
	j := chain.Join[int, int, int](chain.Fn(benchInc), chain.Fn(benchInc))
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		v, err := j.Run(ctx, i)
		benchSinkPair, benchSinkErr = v, err
	}
	if benchSinkErr != nil {
		b.Fatal(benchSinkErr)
	}
}

// --- 3. ten sequential stages ---

func BenchmarkDirect10(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		v := i
		var err error
		for range 10 {
			if v, err = benchInc(ctx, v); err != nil {
				break
			}
		}
		benchSinkInt, benchSinkErr = v, err
	}
}

func BenchmarkPipe10(b *testing.B) {
	stages := make([]chain.Chain[int, int], 10)
	for i := range stages {
		stages[i] = chain.Fn(benchInc)
	}
	benchRun(b, context.Background(), chain.Pipe(stages...))
}

// --- 4. latency of a fan-out of slow stages ---

func BenchmarkSleep1ms(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		v, err := benchSleep(ctx, i)
		benchSinkInt, benchSinkErr = v, err
	}
}

func BenchmarkParallel8x1ms(b *testing.B) {
	branches := make([]chain.Chain[int, int], 8)
	for i := range branches {
		branches[i] = chain.Fn(benchSleep)
	}
	p := chain.Parallel(branches)
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		v, err := p.Run(ctx, i)
		benchSinkInts, benchSinkErr = v, err
	}
	if benchSinkErr != nil {
		b.Fatal(benchSinkErr)
	}
}

// --- 5. dynamic batching under 1,000 concurrent callers ---

const benchCallers = 1000

// benchCallersRun runs one op: benchCallers goroutines each call call once,
// and the op ends when all have returned.
func benchCallersRun(b *testing.B, call func(ctx context.Context, x int) (int, error)) {
	b.Helper()
	ctx := context.Background()
	var failed atomic.Value
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var wg sync.WaitGroup
		wg.Add(benchCallers)
		for j := range benchCallers {
			go func() {
				defer wg.Done()
				v, err := call(ctx, j)
				if err != nil {
					failed.Store(err)
					return
				}
				if v != j+1 {
					failed.Store(errWrongResult)
				}
			}()
		}
		wg.Wait()
	}
	b.StopTimer()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(benchCallers)*float64(b.N)/b.Elapsed().Seconds(), "items/s")
}

var (
	errWrongResult   = errors.New("wrong result")
	errBenchDeadline = errors.New("deadline")
)

func BenchmarkCallers1000Direct(b *testing.B) {
	benchCallersRun(b, benchInc)
}

func BenchmarkBatch1000(b *testing.B) {
	var batches atomic.Int64
	many := chain.Fn(func(_ context.Context, xs []int) ([]int, error) {
		batches.Add(1)
		out := make([]int, len(xs))
		for i, x := range xs {
			out[i] = x + 1
		}
		return out, nil
	})
	c := chain.Batch[int, int](many, chain.MaxSize(64), chain.MaxWait(time.Millisecond))
	benchCallersRun(b, c.Run)
	b.ReportMetric(float64(batches.Load())/float64(b.N), "batches/op")
}

// --- floors: what the standard library and the runtime cost by themselves ---

// BenchmarkFloorGoWait is one goroutine started and waited for: the least a
// fan-out that runs a branch on another goroutine can cost.
func BenchmarkFloorGoWait(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := benchInc(ctx, i)
			benchSinkInt, benchSinkErr = v, err
		}()
		wg.Wait()
	}
}

// BenchmarkFloorWithCancel is the derived context a fail-fast fan-out needs.
func BenchmarkFloorWithCancel(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		cctx, cancel := context.WithCancel(ctx)
		v, err := benchInc(cctx, i)
		cancel()
		benchSinkInt, benchSinkErr = v, err
	}
}

// BenchmarkFloorWithTimeout is the derived context Timeout needs.
func BenchmarkFloorWithTimeout(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		tctx, cancel := context.WithTimeoutCause(ctx, time.Minute, errBenchDeadline)
		v, err := benchInc(tctx, i)
		cancel()
		benchSinkInt, benchSinkErr = v, err
	}
}

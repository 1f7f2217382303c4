package chain_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/chorus-go/chorus/chain"
)

func ExampleParallel() {
	// The same input to every branch at once; outputs in branch order.
	p := chain.Parallel([]chain.Chain[string, string]{
		chain.Pure(strings.ToUpper),
		chain.Pure(strings.ToLower),
		chain.Pure(strings.TrimSpace),
	}, chain.Limit(2))
	out, err := p.Run(context.Background(), " Mixed ")
	fmt.Printf("%q %v\n", out, err)
	// Output: [" MIXED " " mixed " "Mixed"] <nil>
}

func ExampleParallelAll() {
	p := chain.ParallelAll([]chain.Chain[int, int]{
		chain.Pure(func(x int) int { return x + 1 }),
		chain.Named("broken", chain.Fn(func(ctx context.Context, x int) (int, error) {
			return 0, fmt.Errorf("model down")
		})),
	})
	results, err := p.Run(context.Background(), 1)
	fmt.Println(err)
	for _, r := range results {
		fmt.Println(r.Value, r.Err)
	}
	// Output:
	// <nil>
	// 2 <nil>
	// 0 broken: model down
}

func ExampleJoin() {
	count := chain.Pure(func(s string) int { return len(strings.Fields(s)) })
	j := chain.Join(chain.Pure(strings.ToUpper), count)
	p, err := j.Run(context.Background(), "three little words")
	fmt.Println(p.First, p.Second, err)
	// Output: THREE LITTLE WORDS 3 <nil>
}

func ExampleMap() {
	m := chain.Map(chain.Pure(strings.ToUpper), chain.Limit(4))
	out, err := m.Run(context.Background(), []string{"a", "b", "c"})
	fmt.Println(out, err)
	// Output: [A B C] <nil>
}

func ExampleBatch() {
	// A model that embeds many texts in one call: here, their lengths.
	var mu sync.Mutex
	var sizes []int
	embedMany := chain.Fn(func(ctx context.Context, texts []string) ([]int, error) {
		mu.Lock()
		sizes = append(sizes, len(texts))
		mu.Unlock()
		out := make([]int, len(texts))
		for i, t := range texts {
			out[i] = len(t)
		}
		return out, nil
	})
	embed := chain.Batch(embedMany, chain.MaxSize(3), chain.MaxWait(time.Second))

	// Three concurrent callers fill one batch of three.
	texts := []string{"a", "bb", "ccc"}
	out := make([]int, len(texts))
	var wg sync.WaitGroup
	for i, t := range texts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], _ = embed.Run(context.Background(), t)
		}()
	}
	wg.Wait()
	fmt.Println(out, sizes)
	// Output: [1 2 3] [3]
}

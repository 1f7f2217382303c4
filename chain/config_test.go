package chain_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/chorus-go/chorus/chain"
)

func TestConstructorsRejectBadArguments(t *testing.T) {
	var nilChain chain.Chain[int, int]
	var nilFunc chain.Func[int, int]
	ok := add(1)
	cases := map[string]func(){
		"Then nil":            func() { chain.Then(nilChain, ok) },
		"Then typed nil func": func() { chain.Then[int, int, int](nilFunc, ok) },
		"Pipe empty":          func() { chain.Pipe[int]() },
		"Pipe nil":            func() { chain.Pipe(ok, nilChain) },
		"Parallel empty":      func() { chain.Parallel[int, int](nil) },
		"Parallel nil branch": func() { chain.Parallel([]chain.Chain[int, int]{ok, nil}) },
		"ParallelAll empty":   func() { chain.ParallelAll[int, int](nil) },
		"Limit zero":          func() { chain.Limit(0) },
		"Limit negative":      func() { chain.Limit(-1) },
		"Map nil":             func() { chain.Map(nilChain) },
		"Join nil":            func() { chain.Join(ok, nilChain) },
		"Vote no members":     func() { chain.Vote[int, int](chain.Majority[int](), nil) },
		"Vote nil aggregator": func() { chain.Vote[int, int](nil, []chain.Voter[int, int]{chain.Member("a", ok)}) },
		"Vote zero-value":     func() { chain.Vote(chain.Majority[int](), []chain.Voter[int, int]{{}}) },
		"Member nil":          func() { chain.Member("a", nilChain) },
		"Weight negative":     func() { chain.Member("a", ok).Weight(-1) },
		"Weights all zero":    func() { chain.Vote(chain.Weighted[int](), []chain.Voter[int, int]{chain.Member("a", ok).Weight(0)}) },
		"Quorum too large": func() {
			chain.Vote(chain.Majority[int](), []chain.Voter[int, int]{chain.Member("a", ok)}, chain.Quorum(2))
		},
		"Quorum zero":          func() { chain.Quorum(0) },
		"Route nil router":     func() { chain.Route[int, int, int](nil, map[int]chain.Chain[int, int]{0: ok}) },
		"Route no routes":      func() { chain.Route[int, int](chain.RouterFunc[int, int](nil), nil) },
		"Route nil route":      func() { chain.Route(chain.RouterOf(ok), map[int]chain.Chain[int, int]{0: nil}) },
		"Otherwise nil":        func() { chain.Otherwise(nilChain) },
		"Retry nil":            func() { chain.Retry(nilChain) },
		"Attempts zero":        func() { chain.Attempts(0) },
		"Backoff inverted":     func() { chain.Backoff(2, 1) },
		"Jitter too big":       func() { chain.Jitter(1.5) },
		"MaxElapsed negative":  func() { chain.MaxElapsed(-1) },
		"Timeout zero":         func() { chain.Timeout(ok, 0) },
		"Fallback alone":       func() { chain.Fallback(ok) },
		"Fallback nil":         func() { chain.Fallback(ok, nilChain) },
		"Breaker nil":          func() { chain.Breaker(nilChain) },
		"Threshold zero":       func() { chain.Threshold(0) },
		"Cooldown zero":        func() { chain.Cooldown(0) },
		"Probes zero":          func() { chain.Probes(0) },
		"Batch nil":            func() { chain.Batch[int, int](nil) },
		"MaxSize zero":         func() { chain.MaxSize(0) },
		"MaxWait zero":         func() { chain.MaxWait(0) },
		"Named empty":          func() { chain.Named("", ok) },
		"Named nil":            func() { chain.Named("x", nilChain) },
		"Fn nil":               func() { chain.Fn[int, int](nil) },
		"SlogHook nil":         func() { chain.SlogHook(nil) },
		"HealthCheck nil func": func() { chain.HealthCheck(nil) },
	}
	for name, f := range cases {
		mustPanicConfig(t, name, f)
	}
}

func TestBuildReturnsConfigError(t *testing.T) {
	_, err := chain.Build(func() chain.Chain[int, chain.Verdict[int]] {
		return chain.Vote(chain.Majority[int](), []chain.Voter[int, int]{chain.Member("a", add(1))}, chain.Quorum(3))
	})
	var ce *chain.ConfigError
	if !errors.As(err, &ce) || ce.Func != "Vote" {
		t.Fatalf("err = %v", err)
	}
	c, err := chain.Build(func() chain.Chain[int, int] { return chain.Retry(add(1)) })
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := c.Run(context.Background(), 1); got != 2 {
		t.Fatal(got)
	}
}

// A configuration error from another package matches ErrConfig by wrapping
// it; Build returns it instead of re-panicking.
func TestBuildReturnsWrappedConfigError(t *testing.T) {
	want := fmt.Errorf("memory: window of %d messages: %w", -1, chain.ErrConfig)
	_, err := chain.Build(func() int { panic(want) })
	if err != want {
		t.Fatalf("Build() error = %v, want %v", err, want)
	}
	defer func() {
		if r := recover(); r == nil || r.(error).Error() != "boom" {
			t.Fatalf("recovered %v, want the non-config panic re-raised", r)
		}
	}()
	_, _ = chain.Build(func() int { panic(errors.New("boom")) })
}

package balance_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/balance"
)

// fake is an in-process replica that takes a fixed time and fails fail
// in 10 of its calls with a retryable 503.
type fake struct {
	name  string
	delay time.Duration
	fail  int // fails calls whose number modulo 10 is below fail
	n     atomic.Int64
}

func (f *fake) Chat(ctx context.Context, req llm.Request) (llm.Response, error) {
	n := f.n.Add(1)
	t := time.NewTimer(f.delay)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
		return llm.Response{}, ctx.Err()
	}
	if int(n%10) < f.fail {
		return llm.Response{}, &llm.Error{Provider: "fake", Model: f.name, StatusCode: 503, Temporary: true}
	}
	return llm.Response{Message: llm.Assistant("ok")}, nil
}

func (f *fake) Describe() chain.Node { return chain.Node{Kind: chain.KindModel, Name: f.name} }

// replicas are three of different speeds; the 2 ms one fails 30 % of its
// calls.
func replicas() []llm.ChatModel {
	return []llm.ChatModel{
		&fake{name: "fast", delay: time.Millisecond},
		&fake{name: "flaky", delay: 2 * time.Millisecond, fail: 3},
		&fake{name: "slow", delay: 5 * time.Millisecond},
	}
}

const callers = 50

// run sends n requests from 50 concurrent callers and returns the
// requests per second and the requests lost.
func run(b *balance.Balancer, n int) (rps float64, lost int64) {
	var (
		wg    sync.WaitGroup
		next  atomic.Int64
		fails atomic.Int64
	)
	req := ask("x")
	start := time.Now()
	for range callers {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				if _, err := b.Chat(context.Background(), req); err != nil {
					fails.Add(1)
				}
			}
		})
	}
	wg.Wait()
	return float64(n) / time.Since(start).Seconds(), fails.Load()
}

var policies = []struct {
	name string
	opt  balance.Option
}{
	{"p2c", balance.WithLeastInFlight()},
	{"latency", balance.WithLatencyWeighted()},
	{"roundrobin", balance.WithRoundRobin()},
}

// BenchmarkPolicies measures throughput of 50 concurrent callers over the
// three replicas per policy, with lost requests (which must be 0).
// FailureThreshold is high so that the flaky replica stays in rotation
// and failover, not cooldown, is what saves its requests.
func BenchmarkPolicies(b *testing.B) {
	for _, p := range policies {
		b.Run(p.name, func(b *testing.B) {
			bal := balance.MustNew(replicas(), p.opt, balance.WithSeed(1), balance.WithFailureThreshold(1000))
			rps, lost := run(bal, b.N)
			b.ReportMetric(rps, "req/s")
			b.ReportMetric(float64(lost), "lost")
		})
	}
}

// BenchmarkRatio runs the same 2,000 requests through each policy per
// iteration and reports throughput against round robin.
func BenchmarkRatio(b *testing.B) {
	var rps [3]float64
	var lost int64
	for b.Loop() {
		for i, p := range policies {
			bal := balance.MustNew(replicas(), p.opt, balance.WithSeed(1), balance.WithFailureThreshold(1000))
			r, l := run(bal, 2000)
			rps[i] += r
			lost += l
		}
	}
	b.ReportMetric(rps[0]/rps[2], "p2c/rr")
	b.ReportMetric(rps[1]/rps[2], "latency/rr")
	b.ReportMetric(float64(lost), "lost")
}

// BenchmarkOverhead is the cost of the balancer around an instant replica.
func BenchmarkOverhead(b *testing.B) {
	inst := []llm.ChatModel{&fake{name: "a"}, &fake{name: "b"}, &fake{name: "c"}}
	for _, p := range policies {
		b.Run(p.name, func(b *testing.B) {
			bal := balance.MustNew(inst, p.opt)
			req := ask("x")
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bal.Chat(context.Background(), req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

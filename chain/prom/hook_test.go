package prom_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/prom"
)

func newHook(t *testing.T) (*prometheus.Registry, context.Context) {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	h := prom.MustHook()
	reg.MustRegister(h)
	return reg, chain.WithHooks(context.Background(), h)
}

func TestHookDurationsErrorsAndRetries(t *testing.T) {
	reg, ctx := newHook(t)
	calls := 0
	flaky := chain.Named("model", chain.Fn(func(ctx context.Context, s string) (string, error) {
		calls++
		if calls == 1 {
			return "", chain.MarkRetryable(errors.New("503"))
		}
		chain.Emit(ctx, chain.Event{Kind: chain.EventTokens, InputTokens: 10, OutputTokens: 4})
		return s + "!", nil
	}))
	analyse := chain.Named("analyse", chain.Then(
		chain.Named("ocr", chain.Pure(func(b []byte) string { return string(b) })),
		chain.Retry(flaky, chain.Attempts(3), chain.Backoff(time.Microsecond, time.Microsecond)),
	))
	if out, err := analyse.Run(ctx, []byte("hi")); err != nil || out != "hi!" {
		t.Fatalf("Run = %q, %v", out, err)
	}
	if out, err := analyse.Run(ctx, []byte("again")); err != nil || out != "again!" {
		t.Fatalf("Run = %q, %v", out, err)
	}
	want(t, reg, "chorus_node_duration_seconds", map[string]string{"node": "analyse", "kind": "sequence"}, 2)
	want(t, reg, "chorus_node_duration_seconds", map[string]string{"node": "analyse/ocr"}, 2)
	want(t, reg, "chorus_node_duration_seconds", map[string]string{"node": "analyse/model", "kind": "func"}, 3)
	want(t, reg, "chorus_node_errors_total", map[string]string{"node": "analyse/model", "reason": "error"}, 1)
	want(t, reg, "chorus_retries_total", map[string]string{"node": "analyse"}, 1)
	want(t, reg, "chorus_tokens_total", map[string]string{"node": "analyse/model", "direction": "input"}, 20)
	want(t, reg, "chorus_tokens_total", map[string]string{"node": "analyse/model", "direction": "output"}, 8)
	want(t, reg, "chorus_events_total", map[string]string{"node": "analyse", "event": "retry"}, 1)
	want(t, reg, "chorus_node_in_flight", map[string]string{"node": "analyse"}, 0)
	if _, ok := value(t, reg, "chorus_node_errors_total", map[string]string{"node": "analyse"}); ok {
		t.Error("the sequence succeeded, yet has an error count")
	}
	if problems, err := testutil.GatherAndLint(reg); err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %v", problems, err)
	}
}

func TestHookBreakerAndBatch(t *testing.T) {
	reg, ctx := newHook(t)
	down := chain.Fn(func(ctx context.Context, n int) (int, error) { return 0, errors.New("down") })
	guard := chain.Named("guard", chain.Breaker(chain.Chain[int, int](down), chain.Threshold(2), chain.Cooldown(time.Hour)))
	for range 3 {
		_, _ = guard.Run(ctx, 1)
	}
	want(t, reg, "chorus_breaker_state", map[string]string{"node": "guard"}, float64(chain.Open))
	want(t, reg, "chorus_breaker_transitions_total", map[string]string{"node": "guard", "to": "open"}, 1)
	want(t, reg, "chorus_node_errors_total", map[string]string{"node": "guard", "kind": "breaker", "reason": "error"}, 2)
	want(t, reg, "chorus_node_errors_total", map[string]string{"node": "guard", "reason": "circuit_open"}, 1)

	double := chain.Named("embed", chain.Batch(chain.Pure(func(xs []int) []int {
		out := make([]int, len(xs))
		for i, x := range xs {
			out[i] = 2 * x
		}
		return out
	}), chain.MaxSize(1)))
	for i := range 3 {
		if out, err := double.Run(ctx, i); err != nil || out != 2*i {
			t.Fatalf("batch Run = %d, %v", out, err)
		}
	}
	want(t, reg, "chorus_batch_size", map[string]string{"node": "embed"}, 3)
}

func TestHookReasons(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{context.Canceled, "canceled"},
		{&chain.TimeoutError{}, "timeout"},
		{context.DeadlineExceeded, "timeout"},
		{&chain.OpenError{}, "circuit_open"},
		{&chain.QuorumError[int]{}, "no_quorum"},
		{&chain.PanicError{Value: 1}, "panic"},
		{&chain.UnknownRouteError{}, "unknown_route"},
		{errors.New("boom"), "error"},
	} {
		if got := prom.Reason(tc.err); got != tc.want {
			t.Errorf("Reason(%T) = %s, want %s", tc.err, got, tc.want)
		}
	}
}

func TestHookConcurrent(t *testing.T) {
	reg, ctx := newHook(t)
	c := chain.Named("fan", chain.Parallel([]chain.Chain[int, int]{
		chain.Named("a", chain.Pure(func(x int) int { return x })),
		chain.Named("b", chain.Pure(func(x int) int { return -x })),
	}))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 100 {
				if _, err := c.Run(ctx, g*i); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	want(t, reg, "chorus_node_duration_seconds", map[string]string{"node": "fan"}, 800)
	want(t, reg, "chorus_node_duration_seconds", map[string]string{"node": "fan/b"}, 800)
}

func TestHookOptions(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	h := prom.MustHook(prom.Namespace("svc"), prom.ConstLabels(prometheus.Labels{"service": "docs"}), prom.DurationBuckets([]float64{0.1, 1}))
	reg.MustRegister(h)
	ctx := chain.WithHooks(context.Background(), h)
	_, _ = chain.Named("x", chain.Identity[int]()).Run(ctx, 1)
	want(t, reg, "svc_node_duration_seconds", map[string]string{"node": "x", "service": "docs"}, 1)
}

func TestHookSamePathTwoKinds(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	h := prom.MustHook()
	reg.MustRegister(h)
	ctx := context.Background()
	for _, kind := range []chain.Kind{chain.KindFunc, chain.KindModel, chain.KindFunc} {
		n := chain.NodeInfo{Path: "x", Name: "x", Kind: kind}
		h.End(h.Start(ctx, n), n, chain.NodeResult{Duration: time.Millisecond})
	}
	want(t, reg, "chorus_node_duration_seconds", map[string]string{"node": "x", "kind": "func"}, 2)
	want(t, reg, "chorus_node_duration_seconds", map[string]string{"node": "x", "kind": "model"}, 1)
}

package guard_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/chaintest"
	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/guard"
)

func TestBreakerOpensOnServerFaultsNotOnBadRequests(t *testing.T) {
	s := openaitest.New(t)
	clk := chaintest.NewClock(epoch)
	healthy := errors.New("still down")
	m := guard.MustNew(newOpenAI(t, s), guard.WithName("gpt"), guard.WithBreaker(3, time.Minute),
		guard.WithHealthCheck(func(context.Context) error { return healthy }), guard.WithClock(clk))
	var ev events
	ctx := ev.ctx(context.Background())

	for range 5 {
		s.EnqueueChat(openaitest.BadRequest("bad parameter"))
		if _, err := m.Chat(ctx, ask("hi")); !errors.Is(err, llm.ErrBadRequest) {
			t.Fatalf("error %v", err)
		}
	}
	if err := m.Check(ctx); err != nil {
		t.Fatalf("five 400s opened the breaker: %v", err)
	}
	for range 3 {
		s.EnqueueChat(openaitest.Overloaded())
		if _, err := m.Chat(ctx, ask("hi")); !errors.Is(err, llm.ErrServer) {
			t.Fatalf("error %v", err)
		}
	}
	if err := m.Check(ctx); !errors.Is(err, chain.ErrOpen) {
		t.Fatalf("Check after three 503s: %v", err)
	}
	sent := len(s.Requests())
	_, err := m.Chat(ctx, ask("hi"))
	if !errors.Is(err, chain.ErrOpen) || len(s.Requests()) != sent || !strings.HasPrefix(err.Error(), "gpt: ") {
		t.Fatalf("error %v, %d requests: want the open breaker's, named, without a request", err, len(s.Requests())-sent)
	}
	if ev.count(chain.EventBreaker, "gpt") != 1 {
		t.Errorf("breaker events on path gpt: %+v", ev.all)
	}

	clk.Advance(time.Minute) // the health check fails: still open
	if _, err := m.Chat(ctx, ask("hi")); !errors.Is(err, chain.ErrOpen) || len(s.Requests()) != sent {
		t.Fatalf("error %v after a failed health check", err)
	}
	healthy = nil
	clk.Advance(time.Minute)
	if _, err := m.Chat(ctx, ask("probe")); err != nil {
		t.Fatal(err)
	}
	if err := m.Check(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestFallback(t *testing.T) {
	s := openaitest.New(t)
	s.SetDefault(openaitest.EndpointChat, openaitest.Overloaded())
	backup := &echoModel{}
	m := guard.MustNew(newOpenAI(t, s), guard.WithName("gpt"), guard.WithRetry(2), guard.WithClock(autoClock()), guard.WithFallback(backup))
	var ev events
	ctx := ev.ctx(context.Background())
	resp, err := m.Chat(ctx, ask("degraded"))
	if err != nil || resp.Text() != "degraded" {
		t.Fatalf("%q, %v", resp.Text(), err)
	}
	if len(s.Requests()) != 2 || backup.calls.Load() != 1 {
		t.Fatalf("%d requests, %d fallback calls", len(s.Requests()), backup.calls.Load())
	}
	if ev.count(chain.EventFallback, "gpt") != 1 || ev.count(chain.EventRetry, "gpt") != 1 {
		t.Errorf("events: %+v", ev.all)
	}

	down := &scripted{errs: []error{errors.New("also down")}}
	m = guard.MustNew(newOpenAI(t, s), guard.WithFallback(down))
	_, err = m.Chat(ctx, ask("hi"))
	var fe *chain.FallbackError
	if !errors.As(err, &fe) || len(fe.Errs) != 2 || !errors.Is(err, llm.ErrServer) || !strings.Contains(err.Error(), "openai:gpt-4o-mini: ") {
		t.Fatalf("error %v, want both models' failures, named", err)
	}
}

func TestDescribe(t *testing.T) {
	s := openaitest.New(t)
	m := guard.MustNew(newOpenAI(t, s), guard.WithRetry(3), guard.WithTimeout(time.Minute), guard.WithBreaker(5, 0), guard.WithRateLimit(60, 0), guard.WithFallback(&echoModel{}))
	n := chain.Describe(m)
	if n.Kind != guard.KindGuard || n.Name != "openai:gpt-4o-mini" || n.Detail != "60 rpm, breaker, retry 3, timeout 1m0s" {
		t.Fatalf("%+v", n)
	}
	if len(n.Children) != 2 || n.Children[0].Name != "openai:gpt-4o-mini" || n.Chain != m {
		t.Fatalf("children %+v", n.Children)
	}
	if g := chain.Mermaid(m); !strings.Contains(g, "openai:gpt-4o-mini") {
		t.Fatal(g)
	}
	// A named stage around it keeps the graph and the checks.
	c := chain.Named("answer", llm.ChatChain(m))
	if d := chain.Describe(c); !strings.Contains(chain.Mermaid(c), "retry 3") {
		t.Fatalf("%+v", d)
	}
}

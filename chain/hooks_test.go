package chain_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
)

type recorder struct {
	mu     sync.Mutex
	starts []string
	ends   []string
	events []chain.Event
	fails  map[string]error
}

func (r *recorder) hook() chain.Hook {
	r.fails = map[string]error{}
	return chain.HookFuncs{
		OnStart: func(_ context.Context, n chain.NodeInfo) {
			r.mu.Lock()
			r.starts = append(r.starts, n.Path)
			r.mu.Unlock()
		},
		OnEnd: func(_ context.Context, n chain.NodeInfo, res chain.NodeResult) {
			r.mu.Lock()
			r.ends = append(r.ends, n.Path+":"+string(n.Kind))
			if res.Err != nil {
				r.fails[n.Path] = res.Err
			}
			if res.Duration < 0 {
				panic("negative duration")
			}
			r.mu.Unlock()
		},
		OnEvent: func(_ context.Context, n chain.NodeInfo, e chain.Event) {
			r.mu.Lock()
			e.Name = n.Path + ":" + e.Name
			r.events = append(r.events, e)
			r.mu.Unlock()
		},
	}
}

func TestHooksSeeNodePaths(t *testing.T) {
	var calls int
	flakyModel := chain.Named("gpt", chain.Fn(func(ctx context.Context, x int) (int, error) {
		calls++
		if calls == 1 {
			return 0, retryableErr{}
		}
		chain.Emit(ctx, chain.Event{Kind: chain.EventTokens, InputTokens: 10, OutputTokens: 3})
		return x, nil
	}))
	c := chain.Named("analyse", chain.Then(
		chain.Named("ocr", add(1)),
		chain.Named("classify", chain.Retry(flakyModel, chain.Backoff(time.Microsecond, time.Microsecond))),
	))
	rec := &recorder{}
	ctx := chain.WithHooks(context.Background(), rec.hook())
	if _, err := c.Run(ctx, 1); err != nil {
		t.Fatal(err)
	}
	wantStarts := []string{"analyse", "analyse/ocr", "analyse/classify", "analyse/classify/gpt", "analyse/classify/gpt"}
	if strings.Join(rec.starts, ",") != strings.Join(wantStarts, ",") {
		t.Fatalf("starts %v, want %v", rec.starts, wantStarts)
	}
	wantEnds := []string{"analyse/ocr:func", "analyse/classify/gpt:func", "analyse/classify/gpt:func", "analyse/classify:retry", "analyse:sequence"}
	if strings.Join(rec.ends, ",") != strings.Join(wantEnds, ",") {
		t.Fatalf("ends %v, want %v", rec.ends, wantEnds)
	}
	if !errors.Is(rec.fails["analyse/classify/gpt"], retryableErr{}) {
		t.Fatalf("fails %v", rec.fails)
	}
	if len(rec.events) != 2 || rec.events[0].Kind != chain.EventRetry || rec.events[0].Name != "analyse/classify:" ||
		rec.events[1].Kind != chain.EventTokens || rec.events[1].Name != "analyse/classify/gpt:" || rec.events[1].InputTokens != 10 {
		t.Fatalf("events %+v", rec.events)
	}
}

func TestNoHooksNoEvents(t *testing.T) {
	chain.Emit(context.Background(), chain.Event{Kind: chain.EventTokens}) // must not panic
}

func TestSlogHook(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	boom := errors.New("boom")
	c := chain.Named("doc", chain.Fallback(chain.Named("model", fail[int](boom)), chain.Named("rule", const_(1))))
	ctx := chain.WithHooks(context.Background(), chain.SlogHook(logger))
	if _, err := c.Run(ctx, 1); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		`msg="node start" node=doc kind=fallback`,
		`msg="node failed" node=doc/model kind=func`,
		`error=boom`,
		`msg="node event" node=doc event=fallback index=1 answered=rule`,
		`msg="node end" node=doc kind=fallback duration=`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

package eval

import (
	"context"
	"fmt"

	"github.com/chorus-go/chorus/chain"
)

// KindMonitor is the node kind of a chain wrapped by Monitor.
const KindMonitor chain.Kind = "monitor"

// Monitor wraps c so that m observes every input before c runs on it:
// the chain's answers are unchanged, and m raises its alerts to OnAlert
// and to the hooks of the call's context (EventDrift).
func Monitor[In, Out any](c chain.Chain[In, Out], m *DriftMonitor[In]) chain.Chain[In, Out] {
	if c == nil {
		panic(configError("Monitor", "nil chain"))
	}
	if m == nil {
		panic(configError("Monitor", "nil drift monitor"))
	}
	return &monitored[In, Out]{c: c, m: m}
}

type monitored[In, Out any] struct {
	c chain.Chain[In, Out]
	m *DriftMonitor[In]
}

func (w *monitored[In, Out]) Run(ctx context.Context, in In) (Out, error) {
	w.m.Observe(ctx, in)
	return w.c.Run(ctx, in)
}

func (w *monitored[In, Out]) Describe() chain.Node {
	return chain.Node{
		Kind:     KindMonitor,
		Name:     "drift monitor",
		Detail:   fmt.Sprintf("%d numeric, %d categorical", len(w.m.nums), len(w.m.cats)),
		Children: []chain.Node{chain.Describe(w.c)},
		Chain:    w,
	}
}

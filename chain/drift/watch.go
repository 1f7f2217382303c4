package drift

import (
	"context"
	"fmt"

	"github.com/chorus-go/chorus/chain"
)

// KindMonitor is the node kind of a chain wrapped by Watch.
const KindMonitor chain.Kind = "monitor"

// Watch wraps c so that m observes every input before c runs on it: the
// chain's answers are unchanged, and m raises its alerts to OnAlert and
// to the hooks of the call's context (EventAlert). Like the combinators
// of package chain, it panics with a *chain.ConfigError (matching
// chain.ErrConfig, caught by chain.Build) if c or m is nil.
func Watch[In, Out any](c chain.Chain[In, Out], m *Monitor[In]) chain.Chain[In, Out] {
	if c == nil {
		panic(configError("Watch", "nil chain"))
	}
	if m == nil {
		panic(configError("Watch", "nil monitor"))
	}
	return &watched[In, Out]{c: c, m: m}
}

type watched[In, Out any] struct {
	c chain.Chain[In, Out]
	m *Monitor[In]
}

func (w *watched[In, Out]) Run(ctx context.Context, in In) (Out, error) {
	w.m.Observe(ctx, in)
	return w.c.Run(ctx, in)
}

func (w *watched[In, Out]) Describe() chain.Node {
	return chain.Node{
		Kind:     KindMonitor,
		Name:     "drift monitor",
		Detail:   fmt.Sprintf("%d numeric, %d categorical", len(w.m.nums), len(w.m.cats)),
		Children: []chain.Node{chain.Describe(w.c)},
		Chain:    w,
	}
}

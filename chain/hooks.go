package chain

import (
	"context"
	"time"
)

// NodeInfo identifies a node to hooks: its path from the outermost named
// node ("analyse/classify/gpt"), its own name and its kind.
//
// Paths are made of the names users gave, and only of them: a chain given
// a name with Named, and each member of a Vote (named by Member), is a node
// that hooks see start and end, and its name is one segment of the paths
// of the named nodes inside it. Unnamed combinators (a Then, a Retry, a
// Timeout that nobody named) are not nodes to hooks: they add no segment,
// so wrapping a named stage in them does not change its path or its metric
// labels, and the events they emit (a retry, a breaker's change, a
// fallback, a batch) are reported on the nearest named node around them,
// or with an empty NodeInfo when there is none. Kind is the kind of the
// named chain (a named Retry is a "retry" node).
type NodeInfo struct {
	Path string
	Name string
	Kind Kind
}

// NodeResult is what a hook learns when a node ends.
type NodeResult struct {
	Duration time.Duration
	Err      error
}

// EventKind names something that happened inside a node.
type EventKind string

// Events the combinators and adapters emit.
const (
	EventRetry    EventKind = "retry"    // Retry will try again: Attempt, Delay, Err
	EventBreaker  EventKind = "breaker"  // a breaker changed state: From, To, Err
	EventFallback EventKind = "fallback" // Fallback answered with alternative Index (Name)
	EventBatch    EventKind = "batch"    // Batch sent a batched call of Size items
	EventTokens   EventKind = "tokens"   // a model reported token usage
	EventRoute    EventKind = "route"    // Route picked route Name
)

// Event is something that happened inside a node, beyond its start and
// end: a retry, a breaker state change, a fallback, a batch, token usage.
// Only the fields that matter for its Kind are set.
type Event struct {
	Kind         EventKind
	Name         string
	Attempt      int
	Index        int
	Size         int
	Delay        time.Duration
	From, To     BreakerState
	InputTokens  int
	OutputTokens int
	Err          error
}

// Hook observes nodes as a chain runs. Start may return a derived context
// (to carry a tracing span, say); End and Event receive that context.
// Hooks are called synchronously on the hot path and must be safe for
// concurrent use.
type Hook interface {
	Start(ctx context.Context, n NodeInfo) context.Context
	End(ctx context.Context, n NodeInfo, r NodeResult)
	Event(ctx context.Context, n NodeInfo, e Event)
}

// HookFuncs is a Hook made of optional functions.
type HookFuncs struct {
	OnStart func(ctx context.Context, n NodeInfo)
	OnEnd   func(ctx context.Context, n NodeInfo, r NodeResult)
	OnEvent func(ctx context.Context, n NodeInfo, e Event)
}

// Start calls OnStart if set.
func (h HookFuncs) Start(ctx context.Context, n NodeInfo) context.Context {
	if h.OnStart != nil {
		h.OnStart(ctx, n)
	}
	return ctx
}

// End calls OnEnd if set.
func (h HookFuncs) End(ctx context.Context, n NodeInfo, r NodeResult) {
	if h.OnEnd != nil {
		h.OnEnd(ctx, n, r)
	}
}

// Event calls OnEvent if set.
func (h HookFuncs) Event(ctx context.Context, n NodeInfo, e Event) {
	if h.OnEvent != nil {
		h.OnEvent(ctx, n, e)
	}
}

// tracer is what the context carries: the hooks, and the node the context
// is inside.
type tracer struct {
	context.Context // the parent
	hooks           []Hook
	node            NodeInfo
}

// Value returns the tracer itself for tracerKey and asks the parent for any
// other key, so a tracer is a context.WithValue in one allocation.
func (t *tracer) Value(key any) any {
	if _, ok := key.(tracerKey); ok {
		return t
	}
	return t.Context.Value(key)
}

type tracerKey struct{}

// WithHooks returns a context under which every combinator and named node
// reports to hooks. Hooks already in ctx stay; the new ones are added.
func WithHooks(ctx context.Context, hooks ...Hook) context.Context {
	t := &tracer{Context: ctx}
	if parent := tracerOf(ctx); parent != nil {
		t.node = parent.node
		t.hooks = append(t.hooks, parent.hooks...)
	}
	for _, h := range hooks {
		if h != nil {
			t.hooks = append(t.hooks, h)
		}
	}
	return t
}

func tracerOf(ctx context.Context) *tracer {
	t, _ := ctx.Value(tracerKey{}).(*tracer)
	return t
}

// HasHooks reports whether ctx carries hooks, so that work done only to
// describe an event (looking up a model's name, formatting a detail) can
// be skipped when nobody would see it.
func HasHooks(ctx context.Context) bool { return tracerOf(ctx) != nil }

// Emit reports an event to the hooks of the named node ctx is inside (see
// NodeInfo). It does nothing when ctx carries no hooks. Model adapters use
// it to report token usage.
func Emit(ctx context.Context, e Event) {
	t := tracerOf(ctx)
	if t == nil {
		return
	}
	for _, h := range t.hooks {
		h.Event(ctx, t.node, e)
	}
}

// observe runs one node. An unnamed node runs straight through. A named
// node runs straight through when ctx carries no hooks, else between the
// hooks' Start and End with the node's path in the context; either way its
// failure is returned as a *StageError naming it. Hooks' End sees the
// error as the node's run returned it.
func observe[I, O any](ctx context.Context, m *meta, in I, run func(context.Context, I) (O, error)) (O, error) {
	if m.info.Name == "" {
		return run(ctx, in)
	}
	var (
		out O
		err error
	)
	if t := tracerOf(ctx); t == nil {
		out, err = run(ctx, in)
	} else {
		out, err = observeHooks(ctx, t, m, in, run)
	}
	if err != nil {
		err = m.stageError(err)
	}
	return out, err
}

// stageError wraps a failure of the named node in a *StageError, unless it
// already is one for this name.
//
//go:noinline
func (m *meta) stageError(err error) error {
	if se, ok := err.(*StageError); ok && se.Stage == m.info.Name {
		return err
	}
	return &StageError{Stage: m.info.Name, Err: err}
}

// observeHooks is observe's path with hooks, kept out of observe so that
// the frame every combinator pushes when no hooks are installed stays small.
//
//go:noinline
func observeHooks[I, O any](ctx context.Context, t *tracer, m *meta, in I, run func(context.Context, I) (O, error)) (O, error) {
	ctx, info := t.enter(ctx, m)
	start := time.Now()
	out, err := run(ctx, in)
	t.exit(ctx, info, NodeResult{Duration: time.Since(start), Err: err})
	return out, err
}

func (t *tracer) enter(ctx context.Context, m *meta) (context.Context, NodeInfo) {
	info := m.info
	if t.node.Path != "" {
		info.Path = t.node.Path + "/" + info.Name
	} else {
		info.Path = info.Name
	}
	ctx = &tracer{Context: ctx, hooks: t.hooks, node: info}
	for _, h := range t.hooks {
		ctx = h.Start(ctx, info)
	}
	return ctx, info
}

func (t *tracer) exit(ctx context.Context, info NodeInfo, r NodeResult) {
	for i := len(t.hooks) - 1; i >= 0; i-- {
		t.hooks[i].End(ctx, info, r)
	}
}

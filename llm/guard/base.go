package guard

import (
	"context"
	"errors"
	"fmt"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// KindGuard is the kind of a guarded model's node in the inference graph.
const KindGuard chain.Kind = "guard"

// base is what the guarded chat model, embedder and OCR engine share: the
// node's name, the configuration and one stack of layers per model (the
// guarded one, then its fallbacks).
type base struct {
	name      string
	userNamed bool
	cfg       *config
	names     []string // of the models, in order
	stacks    []*stack
	inner     []any // the models, for Describe
}

// newBase checks the configuration shared by every constructor.
func newBase(fn string, cfg *config, models []any) (base, error) {
	if cfg.health != nil && !cfg.breaker {
		return base{}, configErr(fn, "HealthCheck needs Breaker")
	}
	b := base{name: cfg.name, userNamed: cfg.name != "", cfg: cfg, inner: models}
	for _, m := range models {
		name := chain.Describe(m).Name
		b.names = append(b.names, name)
		b.stacks = append(b.stacks, newStack(name, cfg))
	}
	if b.name == "" {
		b.name = b.names[0]
	}
	return b, nil
}

// errNil is the constructors' error for a nil model.
func errNil(fn string) error { return &configError{fn, llm.ErrNilModel} }

// tryAll runs the call on each model in turn until one answers: run(i)
// runs it through stack i and says whether anything reached the caller,
// after which no other model is tried. It reports the model that
// answered, when not the first, as a chain.EventFallback.
func (b *base) tryAll(ctx context.Context, run func(i int) (delivered bool, err error)) error {
	var errs []error
	for i := range b.stacks {
		delivered, err := run(i)
		if err == nil {
			if i > 0 {
				chain.Emit(ctx, chain.Event{Kind: chain.EventFallback, Name: b.names[i], Index: i})
			}
			return nil
		}
		if len(b.stacks) == 1 {
			return err
		}
		errs = append(errs, &chain.StageError{Stage: b.names[i], Err: err})
		if delivered || ctx.Err() != nil {
			break
		}
	}
	node := ""
	if b.userNamed {
		node = b.name
	}
	return &chain.FallbackError{Node: node, Errs: errs}
}

// unname strips the *chain.StageError the node's name put around err when
// the name is the model's own: the model's errors already name it.
func (b *base) unname(err error) error {
	if err == nil || b.userNamed {
		return err
	}
	var se *chain.StageError
	if errors.As(err, &se) && se == err && se.Stage == b.name {
		return se.Err
	}
	return err
}

// Check returns nil when a call would be let through now: the breaker of
// the guarded model or of one of its fallbacks is not open. Otherwise it
// returns the guarded model's *chain.OpenError. Readiness endpoints
// (chain/serve) find it in the inference graph. Without WithBreaker it always
// returns nil.
func (b *base) Check(ctx context.Context) error {
	var first error
	for i, s := range b.stacks {
		err := s.check(ctx)
		if err == nil {
			return nil
		}
		if i == 0 {
			first = err
		}
	}
	return fmt.Errorf("%s: %w", b.name, first)
}

// describe is the node of the inference graph: the layers in Detail, the
// models (the guarded one, then the fallbacks) as children.
func (b *base) describe(self any) chain.Node {
	n := chain.Node{Kind: KindGuard, Name: b.name, Detail: b.cfg.detail(), Chain: self}
	for _, m := range b.inner {
		n.Children = append(n.Children, chain.Describe(m))
	}
	if len(b.inner) > 1 {
		n.Labels = append(n.Labels, "primary")
		for i := 1; i < len(b.inner); i++ {
			n.Labels = append(n.Labels, fmt.Sprintf("fallback %d", i))
		}
	}
	return n
}

package chain

import "context"

// Then composes two stages: the output of first is the input of second.
// The compiler checks that the types line up.
func Then[A, B, C any](first Chain[A, B], second Chain[B, C]) Chain[A, C] {
	if isNil(first) || isNil(second) {
		panic(configError("Then", "nil stage"))
	}
	return &then[A, B, C]{meta: newMeta(KindSequence), first: first, second: second}
}

// Then3 composes three stages.
func Then3[A, B, C, D any](first Chain[A, B], second Chain[B, C], third Chain[C, D]) Chain[A, D] {
	if isNil(first) || isNil(second) || isNil(third) {
		panic(configError("Then3", "nil stage"))
	}
	inner := &then[A, B, C]{meta: newMeta(KindSequence), first: first, second: second, inline: true}
	return &then[A, C, D]{meta: newMeta(KindSequence), first: inner, second: third}
}

// Then4 composes four stages.
func Then4[A, B, C, D, E any](first Chain[A, B], second Chain[B, C], third Chain[C, D], fourth Chain[D, E]) Chain[A, E] {
	if isNil(first) || isNil(second) || isNil(third) || isNil(fourth) {
		panic(configError("Then4", "nil stage"))
	}
	inner := &then[A, B, C]{meta: newMeta(KindSequence), first: first, second: second, inline: true}
	mid := &then[A, C, D]{meta: newMeta(KindSequence), first: inner, second: third, inline: true}
	return &then[A, D, E]{meta: newMeta(KindSequence), first: mid, second: fourth}
}

type then[A, B, C any] struct {
	meta
	first  Chain[A, B]
	second Chain[B, C]
	inline bool // part of a longer sequence: flattened in graphs
}

func (t *then[A, B, C]) Run(ctx context.Context, in A) (C, error) {
	return observe(ctx, &t.meta, in, t.run)
}

func (t *then[A, B, C]) run(ctx context.Context, in A) (C, error) {
	mid, err := t.first.Run(ctx, in)
	if err != nil {
		var zero C
		return zero, err
	}
	if err := ctx.Err(); err != nil {
		var zero C
		return zero, err
	}
	return t.second.Run(ctx, mid)
}

func (t *then[A, B, C]) Describe() Node {
	var children []Node
	for _, c := range []any{t.first, t.second} {
		if inner, ok := c.(interface{ flat() []Node }); ok {
			children = append(children, inner.flat()...)
			continue
		}
		children = append(children, Describe(c))
	}
	return Node{Kind: KindSequence, Name: t.nodeName(), Children: children, Chain: t}
}

// flat returns the stages of an inline sequence for the enclosing one.
func (t *then[A, B, C]) flat() []Node {
	if !t.inline {
		return []Node{t.Describe()}
	}
	return t.Describe().Children
}

func (t *then[A, B, C]) rename(name string) any {
	c := *t
	c.meta = c.meta.renamed(name)
	c.inline = false
	return &c
}

// Pipe composes stages of one type in order: each stage's output is the
// next one's input.
func Pipe[T any](stages ...Chain[T, T]) Chain[T, T] {
	if len(stages) == 0 {
		panic(configError("Pipe", "no stages"))
	}
	checkChains("Pipe", stages)
	return &pipe[T]{meta: newMeta(KindSequence), stages: append([]Chain[T, T](nil), stages...)}
}

type pipe[T any] struct {
	meta
	stages []Chain[T, T]
}

func (p *pipe[T]) Run(ctx context.Context, in T) (T, error) {
	return observe(ctx, &p.meta, in, p.runAll)
}

func (p *pipe[T]) runAll(ctx context.Context, v T) (T, error) {
	return p.run(ctx, v, len(p.stages))
}

// run runs the first n stages.
func (p *pipe[T]) run(ctx context.Context, v T, n int) (T, error) {
	for _, s := range p.stages[:n] {
		if err := ctx.Err(); err != nil {
			var zero T
			return zero, err
		}
		var err error
		if v, err = s.Run(ctx, v); err != nil {
			var zero T
			return zero, err
		}
	}
	return v, nil
}

func (p *pipe[T]) Describe() Node {
	n := Node{Kind: KindSequence, Name: p.nodeName(), Chain: p}
	for _, s := range p.stages {
		n.Children = append(n.Children, Describe(s))
	}
	return n
}

func (p *pipe[T]) rename(name string) any {
	c := *p
	c.meta = c.meta.renamed(name)
	return &c
}

package chain

import (
	"context"
	"strconv"
)

// ParallelOption configures Parallel, ParallelAll and Map.
type ParallelOption func(*parallelConfig)

type parallelConfig struct {
	limit int
}

// Limit caps how many branches (or elements, for Map) run at once. It
// panics if n < 1.
func Limit(n int) ParallelOption {
	if n < 1 {
		panic(configError("Limit", "limit must be at least 1, got %d", n))
	}
	return func(c *parallelConfig) { c.limit = n }
}

func parallelOptions(opts []ParallelOption) parallelConfig {
	var c parallelConfig
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// Parallel sends the same input to every branch at once and returns their
// outputs in branch order. It fails fast: the first branch error cancels
// the others and is returned as a *BranchError. Without a Limit option all
// branches run at once. The calling goroutine runs one of the branches.
func Parallel[I, O any](branches []Chain[I, O], opts ...ParallelOption) Chain[I, []O] {
	if len(branches) == 0 {
		panic(configError("Parallel", "no branches"))
	}
	checkChains("Parallel", branches)
	return &parallel[I, O]{meta: newMeta(KindParallel), branches: append([]Chain[I, O](nil), branches...), names: givenNames(branches), cfg: parallelOptions(opts)}
}

type parallel[I, O any] struct {
	meta
	branches []Chain[I, O]
	names    []string // the branches' given names, for BranchError
	cfg      parallelConfig
}

// givenNames returns the given name of every chain (see givenName).
func givenNames[I, O any](cs []Chain[I, O]) []string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = givenName(c)
	}
	return names
}

func (p *parallel[I, O]) Run(ctx context.Context, in I) ([]O, error) {
	return observe(ctx, &p.meta, in, p.run)
}

func (p *parallel[I, O]) run(ctx context.Context, in I) ([]O, error) {
	out := make([]O, len(p.branches))
	err := fanOut(ctx, len(p.branches), p.cfg.limit, true, func(ctx context.Context, i int) error {
		v, err := SafeRun(ctx, p.branches[i], in)
		if err != nil {
			return &BranchError{Index: i, Name: p.names[i], Err: err}
		}
		out[i] = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (p *parallel[I, O]) Describe() Node {
	return describeBranches(p.nodeName(), KindParallel, p.cfg.limit, p.branches, p)
}

func (p *parallel[I, O]) rename(name string) any {
	c := *p
	c.meta = c.meta.renamed(name)
	return &c
}

// ParallelAll is Parallel that collects every branch's result or error
// instead of failing fast. It returns an error only when ctx ends, along
// with the results gathered so far.
func ParallelAll[I, O any](branches []Chain[I, O], opts ...ParallelOption) Chain[I, []Settled[O]] {
	if len(branches) == 0 {
		panic(configError("ParallelAll", "no branches"))
	}
	checkChains("ParallelAll", branches)
	return &parallelAll[I, O]{meta: newMeta(KindParallel), branches: append([]Chain[I, O](nil), branches...), cfg: parallelOptions(opts)}
}

type parallelAll[I, O any] struct {
	meta
	branches []Chain[I, O]
	cfg      parallelConfig
}

func (p *parallelAll[I, O]) Run(ctx context.Context, in I) ([]Settled[O], error) {
	return observe(ctx, &p.meta, in, p.run)
}

func (p *parallelAll[I, O]) run(ctx context.Context, in I) ([]Settled[O], error) {
	out := make([]Settled[O], len(p.branches))
	_ = fanOut(ctx, len(p.branches), p.cfg.limit, false, func(ctx context.Context, i int) error {
		if err := ctx.Err(); err != nil {
			out[i].Err = err
			return nil
		}
		v, err := SafeRun(ctx, p.branches[i], in)
		out[i] = Settled[O]{Value: v, Err: err}
		return nil
	})
	return out, ctx.Err()
}

func (p *parallelAll[I, O]) Describe() Node {
	n := describeBranches(p.nodeName(), KindParallel, p.cfg.limit, p.branches, p)
	n.Detail = joinDetail(n.Detail, "collect all")
	return n
}

func (p *parallelAll[I, O]) rename(name string) any {
	c := *p
	c.meta = c.meta.renamed(name)
	return &c
}

func describeBranches[I, O any](name string, kind Kind, limit int, branches []Chain[I, O], self any) Node {
	n := Node{Kind: kind, Name: name, Chain: self}
	if limit > 0 {
		n.Detail = "limit " + strconv.Itoa(limit)
	}
	for _, b := range branches {
		n.Children = append(n.Children, Describe(b))
	}
	return n
}

func joinDetail(a, b string) string {
	if a == "" {
		return b
	}
	return a + ", " + b
}

// Pair holds the outputs of the two branches of Join.
type Pair[A, B any] struct {
	First  A
	Second B
}

// Join runs two chains of different output types on the same input at
// once and pairs their outputs. It fails fast like Parallel. Use
// Identity as a branch to carry the input itself to a later stage.
func Join[I, A, B any](first Chain[I, A], second Chain[I, B]) Chain[I, Pair[A, B]] {
	if isNil(first) || isNil(second) {
		panic(configError("Join", "nil branch"))
	}
	return &join[I, A, B]{meta: newMeta(KindJoin), first: first, second: second, names: [2]string{givenName(first), givenName(second)}}
}

type join[I, A, B any] struct {
	meta
	first  Chain[I, A]
	second Chain[I, B]
	names  [2]string // the branches' given names, for BranchError
}

func (j *join[I, A, B]) Run(ctx context.Context, in I) (Pair[A, B], error) {
	return observe(ctx, &j.meta, in, j.run)
}

func (j *join[I, A, B]) run(ctx context.Context, in I) (Pair[A, B], error) {
	var out Pair[A, B]
	err := fanOut(ctx, 2, 0, true, func(ctx context.Context, i int) error {
		var err error
		if i == 0 {
			if out.First, err = SafeRun(ctx, j.first, in); err != nil {
				return &BranchError{Index: 0, Name: j.names[0], Err: err}
			}
			return nil
		}
		if out.Second, err = SafeRun(ctx, j.second, in); err != nil {
			return &BranchError{Index: 1, Name: j.names[1], Err: err}
		}
		return nil
	})
	if err != nil {
		return Pair[A, B]{}, err
	}
	return out, nil
}

func (j *join[I, A, B]) Describe() Node {
	return Node{Kind: KindJoin, Name: j.nodeName(), Children: []Node{Describe(j.first), Describe(j.second)}, Chain: j}
}

func (j *join[I, A, B]) rename(name string) any {
	c := *j
	c.meta = c.meta.renamed(name)
	return &c
}

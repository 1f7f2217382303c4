package chain

import "context"

// Map runs c over every element of a slice and returns the outputs in the
// same order. It fails fast: the first element's error cancels the rest and
// is returned as an *ItemError. Without a Limit option it runs as many
// elements at once as there are, which is rarely what a model server wants:
// set a Limit.
func Map[I, O any](c Chain[I, O], opts ...ParallelOption) Chain[[]I, []O] {
	if isNil(c) {
		panic(configError("Map", "nil chain"))
	}
	return &mapper[I, O]{meta: newMeta(KindMap), c: c, cfg: parallelOptions(opts)}
}

type mapper[I, O any] struct {
	meta
	c   Chain[I, O]
	cfg parallelConfig
}

func (m *mapper[I, O]) Run(ctx context.Context, in []I) ([]O, error) {
	return observe(ctx, &m.meta, in, m.run)
}

func (m *mapper[I, O]) run(ctx context.Context, in []I) ([]O, error) {
	out := make([]O, len(in))
	err := fanOut(ctx, len(in), m.cfg.limit, true, func(ctx context.Context, i int) error {
		v, err := SafeRun(ctx, m.c, in[i])
		if err != nil {
			return &ItemError{Index: i, Err: err}
		}
		out[i] = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (m *mapper[I, O]) Describe() Node {
	return describeBranches(m.nodeName(), KindMap, m.cfg.limit, []Chain[I, O]{m.c}, m)
}

func (m *mapper[I, O]) rename(name string) any {
	c := *m
	c.meta = c.meta.renamed(name)
	return &c
}

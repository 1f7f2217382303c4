package chain

import (
	"context"
	"strconv"
)

// Answered is the output of FallbackTrace: the value, which alternative
// gave it (Index 0 is the primary) and the errors of those tried before.
type Answered[O any] struct {
	Value  O
	Index  int
	Name   string
	Errors []error
}

// Fallback tries primary, then each alternative in order, until one
// answers: the seeds' "degrade to a simpler model or a rule when a model
// fails". It stops early only when ctx ends. If all fail it returns a
// *FallbackError holding every error. Hooks see an EventFallback naming the
// alternative that answered when it was not the primary.
func Fallback[I, O any](primary Chain[I, O], alternatives ...Chain[I, O]) Chain[I, O] {
	return &fallbackValue[I, O]{newFallback("Fallback", primary, alternatives)}
}

// FallbackTrace is Fallback that also reports which alternative answered
// and what the ones before it returned.
func FallbackTrace[I, O any](primary Chain[I, O], alternatives ...Chain[I, O]) Chain[I, Answered[O]] {
	return newFallback("FallbackTrace", primary, alternatives)
}

func newFallback[I, O any](fn string, primary Chain[I, O], alternatives []Chain[I, O]) *fallback[I, O] {
	if len(alternatives) == 0 {
		panic(configError(fn, "no alternatives"))
	}
	all := append([]Chain[I, O]{primary}, alternatives...)
	checkChains(fn, all)
	names := make([]string, len(all))
	for i, c := range all {
		names[i] = Describe(c).Name
	}
	return &fallback[I, O]{meta: newMeta(KindFallback), alts: all, names: names}
}

type fallback[I, O any] struct {
	meta
	alts  []Chain[I, O]
	names []string // the alternatives' node names, described once
}

func (f *fallback[I, O]) Run(ctx context.Context, in I) (Answered[O], error) {
	return observe(ctx, &f.meta, in, f.run)
}

func (f *fallback[I, O]) run(ctx context.Context, in I) (Answered[O], error) {
	var errs []error
	for i, c := range f.alts {
		out, err := SafeRun(ctx, c, in)
		if err == nil {
			a := Answered[O]{Value: out, Index: i, Errors: errs}
			if i > 0 {
				a.Name = f.names[i]
				Emit(ctx, Event{Kind: EventFallback, Index: i, Name: a.Name, Err: errs[len(errs)-1]})
			}
			return a, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	return Answered[O]{}, &FallbackError{Node: f.info.Name, Errs: errs}
}

func (f *fallback[I, O]) Describe() Node {
	n := Node{Kind: KindFallback, Name: f.nodeName(), Chain: f}
	for i, c := range f.alts {
		n.Children = append(n.Children, Describe(c))
		if i == 0 {
			n.Labels = append(n.Labels, "primary")
		} else {
			n.Labels = append(n.Labels, "fallback "+strconv.Itoa(i))
		}
	}
	return n
}

func (f *fallback[I, O]) rename(name string) any {
	c := *f
	c.meta = c.meta.renamed(name)
	return &c
}

type fallbackValue[I, O any] struct{ f *fallback[I, O] }

func (v *fallbackValue[I, O]) Run(ctx context.Context, in I) (O, error) {
	a, err := v.f.Run(ctx, in)
	return a.Value, err
}

func (v *fallbackValue[I, O]) Describe() Node {
	n := v.f.Describe()
	n.Chain = v
	return n
}

func (v *fallbackValue[I, O]) rename(name string) any {
	return &fallbackValue[I, O]{v.f.rename(name).(*fallback[I, O])}
}

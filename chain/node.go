package chain

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"strings"
)

// Kind says what a node of the inference graph does.
type Kind string

// The kinds of node this package builds. Adapters may use their own kinds
// (for example "model" or "ocr") in their Describe methods.
const (
	KindFunc     Kind = "func"
	KindModel    Kind = "model"
	KindSequence Kind = "sequence"
	KindParallel Kind = "parallel"
	KindJoin     Kind = "join"
	KindMap      Kind = "map"
	KindVote     Kind = "vote"
	KindRoute    Kind = "route"
	KindRetry    Kind = "retry"
	KindTimeout  Kind = "timeout"
	KindFallback Kind = "fallback"
	KindBreaker  Kind = "breaker"
	KindBatch    Kind = "batch"
)

// Node describes one node of a composed chain: what it is, its name, a
// short detail (such as "3 attempts" or "quorum 2") and its children. Labels,
// when set, has one entry per child and labels the edge to it (a route key,
// a member's weight). Chain is the chain the node describes, so tools that
// walk the graph can look for optional interfaces (a breaker's State).
type Node struct {
	Kind     Kind
	Name     string
	Detail   string
	Children []Node
	Labels   []string
	Chain    any
}

// Describer is implemented by chains that can describe themselves as a
// node of the inference graph. Every combinator in this package does;
// model adapters should too.
type Describer interface {
	Describe() Node
}

// Describe returns the graph of any chain. A value that does not implement
// Describer becomes a leaf named after its Go type.
func Describe(c any) Node {
	if d, ok := c.(Describer); ok {
		n := d.Describe()
		if n.Chain == nil {
			n.Chain = c
		}
		return n
	}
	name := fmt.Sprintf("%T", c)
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	return Node{Kind: KindFunc, Name: name, Chain: c}
}

// meta is the name and kind every combinator carries, and the source of the
// NodeInfo its hooks see. The name is empty until the user gives one with
// Named: an unnamed combinator reports nothing to hooks and names nothing in
// errors (see observe).
type meta struct {
	info NodeInfo
}

func newMeta(kind Kind) meta { return meta{NodeInfo{Kind: kind}} }

// nodeName is the name the node shows in the inference graph: the user's,
// or else its kind.
func (m *meta) nodeName() string {
	if m.info.Name != "" {
		return m.info.Name
	}
	return string(m.info.Kind)
}

// givenName returns the name of c's node unless it is only the default
// (its kind), for error messages that name what failed.
func givenName(c any) string {
	d := Describe(c)
	if d.Name == string(d.Kind) {
		return ""
	}
	return d.Name
}

// renamed returns the meta with another name.
func (m meta) renamed(name string) meta {
	m.info.Name = name
	return m
}

// renamer is implemented by combinators: rename returns a handle with a
// new name, so Named does not add a node of its own. A stateful combinator
// (a breaker, a batch) returns a handle on the same state, never a copy
// with fresh state.
type renamer interface {
	rename(name string) any
}

// Named gives a chain a name. The name labels its node in the inference
// graph, is a segment of the node path that hooks see
// ("analyse/classify/gpt"), and names the stage in errors: a failure of a
// named chain is returned as a *StageError{Stage: name} (unless it already
// is one for this name), so its message starts with the name and
// errors.Is and errors.As still find the cause. Naming a combinator renames
// it (a renamed breaker or batch shares its state with the original);
// naming any other chain wraps it in a node that reports to hooks.
func Named[I, O any](name string, c Chain[I, O]) Chain[I, O] {
	if isNil(c) {
		panic(configError("Named", "nil chain %q", name))
	}
	if name == "" {
		panic(configError("Named", "empty name"))
	}
	if r, ok := c.(renamer); ok {
		if renamed, ok := r.rename(name).(Chain[I, O]); ok {
			return renamed
		}
	}
	d := Describe(c)
	return &named[I, O]{meta: meta{NodeInfo{Name: name, Kind: d.Kind}}, c: c}
}

type named[I, O any] struct {
	meta
	c Chain[I, O]
}

func (n *named[I, O]) Run(ctx context.Context, in I) (O, error) {
	return observe(ctx, &n.meta, in, n.c.Run)
}

func (n *named[I, O]) Describe() Node {
	d := Describe(n.c) // Chain stays the wrapped chain, so walkers find its methods
	if len(d.Children) == 0 && d.Kind != KindFunc && d.Name != "" && d.Name != n.info.Name {
		// A named leaf such as a model keeps saying which it is:
		// "answer" over "openai:gpt-4o-mini".
		if d.Detail != "" {
			d.Detail = d.Name + ", " + d.Detail
		} else {
			d.Detail = d.Name
		}
	}
	d.Name = n.info.Name
	return d
}

func (n *named[I, O]) rename(name string) any {
	c := *n
	c.meta = c.meta.renamed(name)
	return &c
}

// funcName returns the short Go name of a function value, for graphs.
func funcName(f any) string {
	v := reflect.ValueOf(f)
	if v.Kind() != reflect.Func || v.IsNil() {
		return "func"
	}
	fn := runtime.FuncForPC(v.Pointer())
	if fn == nil {
		return "func"
	}
	name := fn.Name()
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	if strings.Contains(name, ".func") {
		return "func"
	}
	return name
}

// isNilValue reports whether an interface holds a nil pointer, func, map,
// slice, chan or interface. It is used at construction only.
func isNilValue(v any) bool {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Func, reflect.Map, reflect.Slice, reflect.Chan, reflect.Interface:
		return rv.IsNil()
	}
	return false
}

// checkChains panics with a *ConfigError if any chain is nil.
func checkChains[I, O any](fn string, cs []Chain[I, O]) {
	for i, c := range cs {
		if isNil(c) {
			panic(configError(fn, "chain %d is nil", i))
		}
	}
}

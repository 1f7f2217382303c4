package chain

import (
	"context"
	"fmt"
	"slices"
)

// Router picks the key of the route an input should take.
type Router[I any, K comparable] interface {
	Route(ctx context.Context, in I) (K, error)
}

// RouterFunc adapts a rule function to a Router.
type RouterFunc[I any, K comparable] func(ctx context.Context, in I) (K, error)

// Route calls f.
func (f RouterFunc[I, K]) Route(ctx context.Context, in I) (K, error) { return f(ctx, in) }

// RouterOf makes a Router of any chain that outputs a key, such as a
// classifier model; the chain appears in the inference graph.
func RouterOf[I any, K comparable](c Chain[I, K]) Router[I, K] {
	if isNil(c) {
		panic(configError("RouterOf", "nil chain"))
	}
	return chainRouter[I, K]{c}
}

type chainRouter[I any, K comparable] struct{ c Chain[I, K] }

func (r chainRouter[I, K]) Route(ctx context.Context, in I) (K, error) { return r.c.Run(ctx, in) }

// RouteOption configures Route.
type RouteOption[I, O any] func(*routeConfig[I, O])

type routeConfig[I, O any] struct {
	fallback Chain[I, O]
}

// Otherwise sets the route taken when the router picks a key that has no
// route. Without it, such a key is an *UnknownRouteError.
func Otherwise[I, O any](c Chain[I, O]) RouteOption[I, O] {
	if isNil(c) {
		panic(configError("Otherwise", "nil chain"))
	}
	return func(cfg *routeConfig[I, O]) { cfg.fallback = c }
}

// Route asks the router for a key and runs the chain of that route. A
// router error is returned wrapped; a key with no route takes the default
// (Otherwise) or fails with an *UnknownRouteError (ErrUnknownRoute).
func Route[I, O any, K comparable](router Router[I, K], routes map[K]Chain[I, O], opts ...RouteOption[I, O]) Chain[I, O] {
	if router == nil || isNilValue(router) {
		panic(configError("Route", "nil router"))
	}
	if len(routes) == 0 {
		panic(configError("Route", "no routes"))
	}
	r := &route[I, O, K]{meta: newMeta(KindRoute), router: router, routes: make(map[K]Chain[I, O], len(routes))}
	for k, c := range routes {
		if isNil(c) {
			panic(configError("Route", "route %v has a nil chain", k))
		}
		r.routes[k] = c
		r.keys = append(r.keys, fmt.Sprint(k))
	}
	slices.Sort(r.keys)
	for _, o := range opts {
		if o != nil {
			o(&r.cfg)
		}
	}
	return r
}

type route[I, O any, K comparable] struct {
	meta
	router Router[I, K]
	routes map[K]Chain[I, O]
	keys   []string // sorted, for errors and graphs
	cfg    routeConfig[I, O]
}

func (r *route[I, O, K]) Run(ctx context.Context, in I) (O, error) {
	return observe(ctx, &r.meta, in, r.run)
}

func (r *route[I, O, K]) run(ctx context.Context, in I) (O, error) {
	var zero O
	key, err := r.router.Route(ctx, in)
	if err != nil {
		return zero, fmt.Errorf("router: %w", err)
	}
	c, ok := r.routes[key]
	if !ok {
		if r.cfg.fallback == nil {
			return zero, &UnknownRouteError{Node: r.info.Name, Key: key, Known: r.keys}
		}
		c = r.cfg.fallback
	}
	if t := tracerOf(ctx); t != nil {
		Emit(ctx, Event{Kind: EventRoute, Name: fmt.Sprint(key)})
	}
	return c.Run(ctx, in)
}

func (r *route[I, O, K]) Describe() Node {
	n := Node{Kind: KindRoute, Name: r.nodeName(), Chain: r}
	if cr, ok := r.router.(chainRouter[I, K]); ok {
		d := Describe(cr.c)
		n.Detail = d.Name
	} else if f, ok := r.router.(RouterFunc[I, K]); ok {
		n.Detail = funcName(f)
	}
	byKey := make(map[string]Chain[I, O], len(r.routes))
	for k, c := range r.routes {
		byKey[fmt.Sprint(k)] = c
	}
	for _, k := range r.keys {
		n.Children = append(n.Children, Describe(byKey[k]))
		n.Labels = append(n.Labels, k)
	}
	if r.cfg.fallback != nil {
		n.Children = append(n.Children, Describe(r.cfg.fallback))
		n.Labels = append(n.Labels, "otherwise")
	}
	return n
}

func (r *route[I, O, K]) rename(name string) any {
	c := *r
	c.meta = c.meta.renamed(name)
	return &c
}

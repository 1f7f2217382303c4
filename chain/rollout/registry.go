package rollout

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chorus-go/chorus/chain"
)

// Errors of a Registry, for errors.Is.
var (
	// ErrNoVersion is returned by Run before any version is promoted.
	ErrNoVersion = errors.New("rollout: no version promoted")
	// ErrUnknownVersion is returned by Promote for a version never
	// registered.
	ErrUnknownVersion = errors.New("rollout: unknown version")
	// ErrVersionExists is returned by Register for a version already
	// registered: versions are kept as they were, never replaced.
	ErrVersionExists = errors.New("rollout: version already registered")
	// ErrNoRollback is returned by Rollback when no earlier version was
	// promoted.
	ErrNoRollback = errors.New("rollout: no earlier version to roll back to")
)

// Action says what a registry change did.
type Action string

// The registry changes History records.
const (
	Promoted   Action = "promote"
	RolledBack Action = "rollback"
)

// Change is one entry of a registry's history: at At, Action made Version
// current in place of Previous ("" when none was).
type Change struct {
	Action   Action    `json:"action"`
	Version  string    `json:"version"`
	Previous string    `json:"previous,omitempty"`
	At       time.Time `json:"at"`
}

// Registry keeps every version of a model under a name and serves the
// current one. It is itself a chain.Chain that routes each call to the
// current version, so a service holds the registry and a promotion or a
// rollback takes effect on the next call, in one step: the current version
// is an atomic pointer, so a call runs wholly on the version it started
// with and none sees a half switch. A Registry is safe for concurrent use;
// the zero value is not usable, use NewRegistry.
type Registry[In, Out any] struct {
	name    string
	current atomic.Pointer[version[In, Out]]

	mu       sync.Mutex // serialises changes
	versions map[string]*version[In, Out]
	order    []string            // registration order
	stack    []*version[In, Out] // promoted versions, the current last
	history  []Change
	now      func() time.Time
}

type version[In, Out any] struct {
	name  string
	chain chain.Chain[In, Out]
}

// NewRegistry returns an empty registry; name names its node in the
// inference graph.
func NewRegistry[In, Out any](name string) *Registry[In, Out] {
	if name == "" {
		name = "registry"
	}
	return &Registry[In, Out]{name: name, versions: make(map[string]*version[In, Out]), now: time.Now}
}

// Register adds a version. It does not promote it. It fails with
// ErrVersionExists if the version is already registered; a nil chain or
// an empty version name is a *chain.ConfigError (chain.ErrConfig).
func (r *Registry[In, Out]) Register(v string, c chain.Chain[In, Out]) error {
	if v == "" {
		return configError("Registry.Register", "empty version")
	}
	if c == nil {
		return configError("Registry.Register", "nil chain for version %q", v)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.versions[v]; ok {
		return fmt.Errorf("%w: %q", ErrVersionExists, v)
	}
	r.versions[v] = &version[In, Out]{name: v, chain: c}
	r.order = append(r.order, v)
	return nil
}

// Promote makes a registered version the current one. Promoting the
// current version changes nothing.
func (r *Registry[In, Out]) Promote(v string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	ver, ok := r.versions[v]
	if !ok {
		return fmt.Errorf("%w: %q", ErrUnknownVersion, v)
	}
	prev := r.current.Load()
	if prev == ver {
		return nil
	}
	r.stack = append(r.stack, ver)
	r.current.Store(ver)
	r.history = append(r.history, Change{Action: Promoted, Version: v, Previous: nameOfVersion(prev), At: r.now()})
	return nil
}

// Rollback makes the previously promoted version current again and
// returns its name: promoting v1, v2, v3 then rolling back twice leaves
// v1. It fails with ErrNoRollback when there is no earlier promotion.
func (r *Registry[In, Out]) Rollback() (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.stack) < 2 {
		return "", ErrNoRollback
	}
	prev := r.stack[len(r.stack)-1]
	r.stack = r.stack[:len(r.stack)-1]
	ver := r.stack[len(r.stack)-1]
	r.current.Store(ver)
	r.history = append(r.history, Change{Action: RolledBack, Version: ver.name, Previous: prev.name, At: r.now()})
	return ver.name, nil
}

// Current returns the current version's name, and false before any
// promotion.
func (r *Registry[In, Out]) Current() (string, bool) {
	v := r.current.Load()
	return nameOfVersion(v), v != nil
}

// Version returns a registered version's chain, to evaluate or compare it
// before promoting it.
func (r *Registry[In, Out]) Version(v string) (chain.Chain[In, Out], bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ver, ok := r.versions[v]
	if !ok {
		return nil, false
	}
	return ver.chain, true
}

// Versions returns the registered versions in the order they were
// registered.
func (r *Registry[In, Out]) Versions() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.order)
}

// Changes returns how many promotions and rollbacks the registry has
// made: the length of its History, without copying it.
func (r *Registry[In, Out]) Changes() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.history)
}

// History returns every promotion and rollback, oldest first.
func (r *Registry[In, Out]) History() []Change {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.history)
}

// Run calls the current version, or fails with ErrNoVersion. It reports
// the version to hooks as a chain.EventRoute event named after it.
func (r *Registry[In, Out]) Run(ctx context.Context, in In) (Out, error) {
	v := r.current.Load()
	if v == nil {
		var zero Out
		return zero, fmt.Errorf("%w in %s", ErrNoVersion, r.name)
	}
	chain.Emit(ctx, chain.Event{Kind: chain.EventRoute, Name: v.name})
	return v.chain.Run(ctx, in)
}

// Describe reports the registry as a route node over its versions, the
// current one's edge labelled "current".
func (r *Registry[In, Out]) Describe() chain.Node {
	r.mu.Lock()
	defer r.mu.Unlock()
	cur := r.current.Load()
	n := chain.Node{Kind: chain.KindRoute, Name: r.name, Chain: r}
	if cur != nil {
		n.Detail = "current " + cur.name
	}
	for _, name := range r.order {
		v := r.versions[name]
		c := chain.Describe(v.chain)
		c.Name = name
		label := name
		if v == cur {
			label += " (current)"
		}
		n.Children = append(n.Children, c)
		n.Labels = append(n.Labels, label)
	}
	return n
}

func nameOfVersion[In, Out any](v *version[In, Out]) string {
	if v == nil {
		return ""
	}
	return v.name
}

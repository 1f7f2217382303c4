package reliable

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/chorus-go/chorus/chain"
)

// Counter counts the retries and fallbacks of a run, from the events its
// hook sees: every chain.EventRetry, by the node it happened in (a
// guarded model's, named after the model), and every chain.EventFallback,
// by the alternative that answered. Put its Hook on the run's context
// with chain.WithHooks. It is safe for concurrent use; the zero value is
// ready.
type Counter struct {
	mu        sync.Mutex
	retries   map[string]int
	fallbacks map[string]int
	opened    int
}

// Hook returns the hook that counts.
func (c *Counter) Hook() chain.Hook {
	return chain.HookFuncs{OnEvent: func(_ context.Context, n chain.NodeInfo, e chain.Event) {
		c.mu.Lock()
		defer c.mu.Unlock()
		switch {
		case e.Kind == chain.EventRetry:
			c.retries = add(c.retries, n.Name)
		case e.Kind == chain.EventFallback:
			c.fallbacks = add(c.fallbacks, e.Name)
		case e.Kind == chain.EventBreaker && e.To == chain.Open:
			c.opened++
		}
	}}
}

func add(m map[string]int, k string) map[string]int {
	if m == nil {
		m = map[string]int{}
	}
	if k == "" {
		k = "unnamed"
	}
	m[k]++
	return m
}

// Retries is the number of retries counted.
func (c *Counter) Retries() int { return c.total(func(c *Counter) map[string]int { return c.retries }) }

// Fallbacks is the number of fallbacks counted.
func (c *Counter) Fallbacks() int {
	return c.total(func(c *Counter) map[string]int { return c.fallbacks })
}

func (c *Counter) total(m func(*Counter) map[string]int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range m(c) {
		n += v
	}
	return n
}

// String is the line the examples print at the end of a run:
//
//	reliability: 37 retries (openai:gpt-4o-mini 30, openai:text-embedding-3-small 7), 2 fallbacks (to rules:invoice 2)
//
// with "breaker opened N times" added when a breaker opened.
func (c *Counter) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := "reliability: " + tally(c.retries, "retry", "retries", "") + ", " + tally(c.fallbacks, "fallback", "fallbacks", "to ")
	if c.opened > 0 {
		s += fmt.Sprintf(", breaker opened %d time%s", c.opened, plural(c.opened))
	}
	return s
}

// tally says "3 retries (a 2, b 1)".
func tally(m map[string]int, one, many, prefix string) string {
	n := 0
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		n += m[k]
		parts = append(parts, fmt.Sprintf("%s%s %d", prefix, k, m[k]))
	}
	word := many
	if n == 1 {
		word = one
	}
	s := fmt.Sprintf("%d %s", n, word)
	if n > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return s
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

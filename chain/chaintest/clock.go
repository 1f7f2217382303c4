package chaintest

import (
	"sync"
	"time"
)

// Clock is a fake chain.Clock for tests of Retry, Breaker and anything
// else that takes one, so that backoff waits and cooldowns pass without
// sleeping. A Clock from NewClock moves only when Advance is called, and a
// channel from After fires once Advance has moved the clock past its
// deadline. A Clock from NewAutoClock lets time pass as soon as anything
// waits: After moves the clock forward by the wait and fires at once.
// Either records every wait asked of it. A Clock is safe for concurrent use.
type Clock struct {
	mu      sync.Mutex
	now     time.Time
	auto    bool
	waits   []time.Duration
	pending []timer
}

type timer struct {
	at time.Time
	ch chan time.Time
}

// NewClock returns a Clock standing at start that moves only by Advance.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// NewAutoClock returns a Clock standing at start whose waits end at once,
// each moving the clock forward by its length.
func NewAutoClock(start time.Time) *Clock { return &Clock{now: start, auto: true} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After returns a channel that receives the clock's time once d has
// passed on it, and records d.
func (c *Clock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits = append(c.waits, d)
	ch := make(chan time.Time, 1)
	if c.auto || d <= 0 {
		c.now = c.now.Add(max(d, 0))
		ch <- c.now
		return ch
	}
	c.pending = append(c.pending, timer{c.now.Add(d), ch})
	return ch
}

// Advance moves the clock forward by d and fires the waits that end by
// then.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.pending[:0]
	for _, t := range c.pending {
		if t.at.After(c.now) {
			kept = append(kept, t)
			continue
		}
		t.ch <- c.now
	}
	c.pending = kept
}

// Waits returns every wait asked of the clock through After, in order.
func (c *Clock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

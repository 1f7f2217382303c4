package balance

import (
	"context"
	"time"
)

// replica is the state the balancer keeps about one replica. It is
// guarded by core.mu.
type replica struct {
	name     string
	check    func(ctx context.Context) error // nil: a real request probes
	inflight int
	fails    int           // retryable failures in a row
	cooling  bool          // out of rotation until until
	until    time.Time     // end of the cooldown
	probing  bool          // a probe (health check or request) is out
	latency  time.Duration // EWMA of successful calls, 0 before the first
	lastErr  error         // the failure that started the cooldown
}

// ewmaWeight is the weight of a new latency sample.
const ewmaWeight = 0.3

func (r *replica) observe(d time.Duration) {
	if r.latency == 0 {
		r.latency = d
		return
	}
	r.latency = time.Duration(ewmaWeight*float64(d) + (1-ewmaWeight)*float64(r.latency))
}

// pinger and checker are the health checks a replica may have itself.
type pinger interface {
	Ping(ctx context.Context) error
}

type checker interface {
	Check(ctx context.Context) error
}

// ownCheck returns a replica's own health check, or nil.
func ownCheck(m any) func(ctx context.Context) error {
	switch c := m.(type) {
	case pinger:
		return c.Ping
	case checker:
		return c.Check
	}
	return nil
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

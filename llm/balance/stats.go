package balance

import "time"

// ReplicaStats is a snapshot of what a balancer knows about one replica.
type ReplicaStats struct {
	Name     string
	InFlight int
	// Latency is the moving average of successful calls (time to first
	// chunk for streams); zero before the first.
	Latency time.Duration
	// Failures counts retryable failures in a row.
	Failures int
	// Cooling says the replica is out of rotation; Until is when it may
	// be probed again.
	Cooling bool
	Until   time.Time
}

// stats returns a snapshot of every replica.
func (c *core) stats() []ReplicaStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]ReplicaStats, len(c.reps))
	for i := range c.reps {
		r := &c.reps[i]
		out[i] = ReplicaStats{Name: r.name, InFlight: r.inflight, Latency: r.latency, Failures: r.fails, Cooling: r.cooling}
		if r.cooling {
			out[i].Until = r.until
		}
	}
	return out
}

// detail describes the configuration in the graph.
func (c *core) detail() string {
	s := c.cfg.policy.String()
	if c.cfg.maxInFlight > 0 {
		s += ", max " + itoa(c.cfg.maxInFlight) + " in flight"
	}
	return s
}

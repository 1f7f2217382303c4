package balance

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"github.com/chorus-go/chorus/chain"
)

// core is the state and the scheduling shared by Balancer and Embedder:
// which replica a call goes to, cooldowns, health checks and failover.
type core struct {
	cfg   config
	clock chain.Clock

	mu      sync.Mutex
	reps    []replica
	cand    []int // scratch for acquire, guarded by mu
	rng     *rand.Rand
	next    int           // round robin position
	changed chan struct{} // closed when a slot frees or a replica changes; nil when nobody waits
}

// errNoneLeft: a failover found no replica it has not tried.
var errNoneLeft = errors.New("no replica left to try")

// newCore checks the options and sets up the state of n replicas named
// names, whose own health checks are checks.
func newCore(fn string, names []string, checks []func(context.Context) error, opts []Option) (*core, error) {
	cfg := defaults()
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if len(cfg.errs) > 0 {
		return nil, &configError{fn: fn, reason: joinReasons(cfg.errs)}
	}
	c := &core{cfg: cfg, clock: cfg.clock, reps: make([]replica, len(names)), cand: make([]int, 0, len(names))}
	if c.clock == nil {
		c.clock = realClock{}
	}
	seed := cfg.seed
	if !cfg.seeded {
		seed = rand.Uint64()
	}
	c.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	for i, name := range uniqueNames(names) {
		c.reps[i].name = name
		c.reps[i].check = checks[i]
		if cfg.check != nil {
			i := i
			c.reps[i].check = func(ctx context.Context) error { return cfg.check(ctx, i) }
		}
	}
	return c, nil
}

func joinReasons(rs []string) string {
	s := rs[0]
	for _, r := range rs[1:] {
		s += "; " + r
	}
	return s
}

// uniqueNames returns names with "#i" added to those that several
// replicas share, so events and errors say which replica.
func uniqueNames(names []string) []string {
	count := make(map[string]int, len(names))
	for _, n := range names {
		count[n]++
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n
		if count[n] > 1 {
			out[i] = n + "#" + strconv.Itoa(i)
		}
	}
	return out
}

// attempt runs a call on replica i. It returns whether any of the answer
// reached the caller (then the call cannot fail over) and, for streams,
// when the first chunk arrived (the latency sample; zero: the whole call).
type attempt func(ctx context.Context, i int) (committed bool, first time.Time, err error)

// do runs a call on a replica the policy picks, failing over to another
// replica on a retryable failure that did not reach the caller.
func (c *core) do(ctx context.Context, run attempt) error {
	var (
		tried   []bool
		lastErr error
	)
	for n := 0; ; n++ {
		i, probe, err := c.acquire(ctx, tried)
		if err != nil {
			if lastErr != nil && (errors.Is(err, errNoneLeft) || errors.Is(err, ErrNoReplica)) {
				return lastErr
			}
			return err
		}
		start := time.Now()
		committed, first, err := run(ctx, i)
		end := time.Now()
		if !first.IsZero() {
			end = first
		}
		c.release(ctx, i, probe, err, end.Sub(start))
		if err == nil {
			return nil
		}
		err = &ReplicaError{Index: i, Name: c.reps[i].name, Err: err}
		if committed || n >= c.cfg.failover || ctx.Err() != nil || !chain.IsRetryable(err) {
			return err
		}
		if tried == nil {
			tried = make([]bool, len(c.reps))
		}
		tried[i] = true
		lastErr = err
		chain.Emit(ctx, chain.Event{Kind: EventFailover, Name: c.reps[i].name, Index: i, Attempt: n + 1, Err: err})
	}
}

// acquire picks a replica for a call and counts the call in flight on it.
// probe says that the call itself is the probe of a replica back from
// cooldown. It waits while every available replica is saturated; when all
// are cooling down it fails with a *NoReplicaError (or waits, with
// WithWaitForReplica). Replicas marked in tried are not considered; when only
// they are left it fails with errNoneLeft.
func (c *core) acquire(ctx context.Context, tried []bool) (i int, probe bool, err error) {
	for {
		if err := ctx.Err(); err != nil {
			return -1, false, err
		}
		c.mu.Lock()
		now := c.clock.Now()
		var (
			due     = -1
			busy    bool
			soonest time.Time
			cause   error
		)
		cand := c.cand[:0]
		for i := range c.reps {
			r := &c.reps[i]
			switch {
			case tried != nil && tried[i]:
			case r.cooling && r.probing:
				busy = true
			case r.cooling && !now.Before(r.until):
				if due < 0 {
					due = i
				}
			case r.cooling:
				if soonest.IsZero() || r.until.Before(soonest) {
					soonest, cause = r.until, r.lastErr
				}
			case c.cfg.maxInFlight > 0 && r.inflight >= c.cfg.maxInFlight:
				busy = true
			default:
				cand = append(cand, i)
			}
		}
		switch {
		case due >= 0:
			r := &c.reps[due]
			r.probing = true
			r.inflight++
			check := r.check
			c.mu.Unlock()
			if check == nil {
				return due, true, nil // the call is the probe
			}
			if c.probe(ctx, due, check) {
				return due, false, nil
			}
		case len(cand) > 0:
			i := c.pick(cand)
			c.reps[i].inflight++
			c.mu.Unlock()
			return i, false, nil
		case busy:
			if c.changed == nil {
				c.changed = make(chan struct{})
			}
			ch := c.changed
			c.mu.Unlock()
			select {
			case <-ch:
			case <-ctx.Done():
				return -1, false, ctx.Err()
			}
		case soonest.IsZero():
			c.mu.Unlock()
			return -1, false, errNoneLeft
		case !c.cfg.wait:
			c.mu.Unlock()
			return -1, false, &NoReplicaError{Replicas: len(c.reps), Until: soonest, Cause: cause, at: now}
		default:
			c.mu.Unlock()
			select {
			case <-c.clock.After(soonest.Sub(now)):
			case <-ctx.Done():
				return -1, false, ctx.Err()
			}
		}
	}
}

// probe runs replica i's health check. If it passes the replica is back
// in rotation, with the call counted in flight on it; if not it cools down
// again.
func (c *core) probe(ctx context.Context, i int, check func(context.Context) error) bool {
	cctx, cancel := context.WithTimeout(ctx, c.cfg.checkTime)
	err := safeCheck(cctx, check)
	cancel()
	c.mu.Lock()
	r := &c.reps[i]
	r.probing = false
	if err == nil {
		r.cooling, r.fails, r.lastErr = false, 0, nil
		c.mu.Unlock()
		chain.Emit(ctx, chain.Event{Kind: EventRecover, Name: r.name, Index: i})
		return true
	}
	r.inflight--
	if ctx.Err() == nil {
		r.until = c.clock.Now().Add(c.cfg.cooldown)
		r.lastErr = err
	}
	c.notify()
	c.mu.Unlock()
	return false
}

// safeCheck runs a health check, turning a panic into a failure.
func safeCheck(ctx context.Context, check func(context.Context) error) (err error) {
	defer chain.Recover(&err)
	return check(ctx)
}

// release ends a call on replica i: it frees the slot, learns the latency
// of a success, and counts a retryable failure, sending the replica into
// cooldown after WithFailureThreshold of them in a row or at once on a
// Retry-After.
func (c *core) release(ctx context.Context, i int, probe bool, err error, d time.Duration) {
	c.mu.Lock()
	r := &c.reps[i]
	r.inflight--
	c.notify()
	fault := err != nil && chain.IsRetryable(err) && ctx.Err() == nil
	if probe {
		r.probing = false
		if !fault {
			r.cooling, r.fails, r.lastErr = false, 0, nil
			if err == nil {
				r.observe(d)
			}
			c.mu.Unlock()
			chain.Emit(ctx, chain.Event{Kind: EventRecover, Name: r.name, Index: i})
			return
		}
		r.until, r.lastErr = c.clock.Now().Add(c.cooldownFor(err)), err
		c.mu.Unlock()
		return
	}
	if err == nil {
		r.observe(d)
		if !r.cooling {
			r.fails = 0
		}
		c.mu.Unlock()
		return
	}
	if !fault || r.cooling {
		c.mu.Unlock()
		return
	}
	r.fails++
	_, asked := chain.RetryAfter(err)
	if r.fails < c.cfg.threshold && !asked {
		c.mu.Unlock()
		return
	}
	wait := c.cooldownFor(err)
	r.cooling, r.until, r.lastErr = true, c.clock.Now().Add(wait), err
	c.mu.Unlock()
	chain.Emit(ctx, chain.Event{Kind: EventCooldown, Name: r.name, Index: i, Delay: wait, Err: err})
}

// cooldownFor is how long a failure takes a replica out: the server's
// Retry-After, capped by WithMaxCooldown, or else WithCooldown.
func (c *core) cooldownFor(err error) time.Duration {
	if d, ok := chain.RetryAfter(err); ok {
		return min(d, c.cfg.maxCooldown)
	}
	return c.cfg.cooldown
}

// notify wakes the calls waiting for a slot. c.mu is held.
func (c *core) notify() {
	if c.changed != nil {
		close(c.changed)
		c.changed = nil
	}
}

// pick chooses among the candidates (indices in ascending order) by the
// policy. c.mu is held.
func (c *core) pick(cand []int) int {
	if len(cand) == 1 {
		return cand[0]
	}
	switch c.cfg.policy {
	case roundRobin:
		n := len(c.reps)
		for k := range n {
			i := (c.next + k) % n
			for _, j := range cand {
				if j == i {
					c.next = i + 1
					return i
				}
			}
		}
		return cand[0]
	case latencyWeighted:
		var fastest time.Duration
		for _, i := range cand {
			if l := c.reps[i].latency; l > 0 && (fastest == 0 || l < fastest) {
				fastest = l
			}
		}
		if fastest == 0 {
			fastest = 1
		}
		best, bestScore := -1, 0.0
		off := c.rng.IntN(len(cand)) // ties go to a random replica
		for k := range cand {
			i := cand[(off+k)%len(cand)]
			r := &c.reps[i]
			l := r.latency
			if l == 0 {
				l = fastest
			}
			score := float64(l) * float64(r.inflight+1)
			if best < 0 || score < bestScore {
				best, bestScore = i, score
			}
		}
		return best
	}
	a := c.rng.IntN(len(cand))
	b := c.rng.IntN(len(cand) - 1)
	if b >= a {
		b++
	}
	if c.reps[cand[b]].inflight < c.reps[cand[a]].inflight {
		return cand[b]
	}
	return cand[a]
}

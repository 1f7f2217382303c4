package balance

import (
	"context"
	"fmt"
	"time"

	"github.com/chorus-go/chorus/chain"
)

// Defaults of the options.
const (
	DefaultCooldown           = 30 * time.Second
	DefaultMaxCooldown        = 5 * time.Minute
	DefaultFailureThreshold   = 3
	DefaultFailover           = 1
	DefaultHealthCheckTimeout = 5 * time.Second
)

// Option configures a balancer. A bad value makes New fail with an error
// matching chain.ErrConfig.
type Option func(*config)

type policy int

const (
	leastInFlight policy = iota
	latencyWeighted
	roundRobin
)

func (p policy) String() string {
	switch p {
	case latencyWeighted:
		return "latency-weighted"
	case roundRobin:
		return "round robin"
	}
	return "least in-flight"
}

type config struct {
	name        string
	policy      policy
	seed        uint64
	seeded      bool
	maxInFlight int
	failover    int
	cooldown    time.Duration
	maxCooldown time.Duration
	threshold   int
	check       func(ctx context.Context, replica int) error
	checkTime   time.Duration
	wait        bool
	clock       chain.Clock
	errs        []string
}

func defaults() config {
	return config{
		name:        "balance",
		failover:    DefaultFailover,
		cooldown:    DefaultCooldown,
		maxCooldown: DefaultMaxCooldown,
		threshold:   DefaultFailureThreshold,
		checkTime:   DefaultHealthCheckTimeout,
	}
}

func (c *config) fail(format string, args ...any) {
	c.errs = append(c.errs, fmt.Sprintf(format, args...))
}

// WithLeastInFlight picks, the default, by the power of two choices: two
// random available replicas, and of them the one with fewer requests in
// flight.
func WithLeastInFlight() Option { return func(c *config) { c.policy = leastInFlight } }

// WithLatencyWeighted picks the available replica with the least expected
// wait: its moving average latency (EWMA of successful calls; time to the
// first chunk for streams) times its requests in flight plus one. A
// replica not measured yet counts as fast as the fastest, so each is
// tried.
func WithLatencyWeighted() Option { return func(c *config) { c.policy = latencyWeighted } }

// WithRoundRobin takes the available replicas in turn, whatever their load.
func WithRoundRobin() Option { return func(c *config) { c.policy = roundRobin } }

// WithSeed seeds the balancer's own random source, for deterministic tests.
// Without it the seed is random.
func WithSeed(seed uint64) Option {
	return func(c *config) { c.seed, c.seeded = seed, true }
}

// WithMaxInFlight limits each replica to n concurrent requests (n >= 1). A
// saturated replica is skipped; when every available replica is saturated
// a call waits for a free slot, as long as its context allows. Without it
// there is no limit.
func WithMaxInFlight(n int) Option {
	return func(c *config) {
		if n < 1 {
			c.fail("MaxInFlight: %d is not at least 1", n)
		}
		c.maxInFlight = n
	}
}

// WithFailover sets how many times a call that failed with a retryable error
// (chain.IsRetryable) is tried again on another replica (n >= 0; default
// 1; 0 turns failover off). A stream fails over only before its first
// chunk reached the caller.
func WithFailover(n int) Option {
	return func(c *config) {
		if n < 0 {
			c.fail("Failover: negative count %d", n)
		}
		c.failover = n
	}
}

// WithCooldown sets how long a failing replica gets no traffic (default 30 s).
func WithCooldown(d time.Duration) Option {
	return func(c *config) {
		if d <= 0 {
			c.fail("Cooldown: %v is not positive", d)
		}
		c.cooldown = d
	}
}

// WithMaxCooldown caps the cooldown a server's Retry-After can ask for
// (default 5 min): a server cannot take a replica out for hours.
func WithMaxCooldown(d time.Duration) Option {
	return func(c *config) {
		if d <= 0 {
			c.fail("MaxCooldown: %v is not positive", d)
		}
		c.maxCooldown = d
	}
}

// WithFailureThreshold sets after how many retryable failures in a row a
// replica cools down (default 3). A failure with a Retry-After (HTTP 429)
// cools it down at once, for the time the server asked (capped by
// WithMaxCooldown). Errors that are not retryable — the caller's bad request,
// a missing model, cancellation — never count.
func WithFailureThreshold(n int) Option {
	return func(c *config) {
		if n < 1 {
			c.fail("FailureThreshold: %d is not at least 1", n)
		}
		c.threshold = n
	}
}

// WithHealthCheck sets the check a replica must pass to return from cooldown;
// it is given the replica's index. Without it a replica's own
// Ping(ctx) error or Check(ctx) error method is the check (llm/ollama's
// models have Ping), and a replica with neither gets one real request as
// its probe. The check runs on the goroutine of the call that found the
// cooldown over, bounded by WithHealthCheckTimeout; only that probe reaches
// the replica until it passes.
func WithHealthCheck(check func(ctx context.Context, replica int) error) Option {
	return func(c *config) {
		if check == nil {
			c.fail("HealthCheck: nil function")
		}
		c.check = check
	}
}

// WithHealthCheckTimeout bounds each health check (default 5 s).
func WithHealthCheckTimeout(d time.Duration) Option {
	return func(c *config) {
		if d <= 0 {
			c.fail("HealthCheckTimeout: %v is not positive", d)
		}
		c.checkTime = d
	}
}

// WithWaitForReplica makes a call wait, as long as its context allows, for a
// replica to come back when all are cooling down, instead of failing at
// once with a *NoReplicaError.
func WithWaitForReplica() Option { return func(c *config) { c.wait = true } }

// WithClock sets the clock of cooldowns (chain/chaintest's fake clock in
// tests).
func WithClock(clock chain.Clock) Option {
	return func(c *config) {
		if clock == nil {
			c.fail("WithClock: nil clock")
		}
		c.clock = clock
	}
}

// WithName names the balancer's node in the inference graph (default
// "balance"), keeping it an llm.ChatModel; chain.Named names it as a
// chain, which also puts the name in hook paths and errors.
func WithName(name string) Option {
	return func(c *config) {
		if name == "" {
			c.fail("WithName: empty name")
		}
		c.name = name
	}
}

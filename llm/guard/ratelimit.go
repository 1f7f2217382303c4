package guard

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/chorus-go/chorus/chain"
)

// EventRateLimit is the event a call reports when the rate limit makes it
// wait: Delay is the wait.
const EventRateLimit chain.EventKind = "ratelimit"

// EventCacheHit is the event a call answered from the cache reports.
const EventCacheHit chain.EventKind = "cache"

// limiter is two token buckets, for requests and for tokens, taken
// together under one lock. A call reserves its share at once, driving a
// bucket negative when it is short, and waits until the bucket is back at
// zero: callers are served in the order they came, and none spins.
type limiter struct {
	clock chain.Clock

	mu   sync.Mutex
	last time.Time
	req  bucket
	tok  bucket
}

// bucket is one token bucket: level, capacity and refill rate per second.
// A zero rate means no limit.
type bucket struct {
	level, cap, rate float64
}

func newLimiter(rpm, tpm int, clk chain.Clock) *limiter {
	l := &limiter{clock: clk, last: clk.Now()}
	if rpm > 0 {
		c := math.Max(1, math.Ceil(float64(rpm)/60))
		l.req = bucket{level: c, cap: c, rate: float64(rpm) / 60}
	}
	if tpm > 0 {
		l.tok = bucket{level: float64(tpm), cap: float64(tpm), rate: float64(tpm) / 60}
	}
	return l
}

func (b *bucket) refill(secs float64) {
	if b.rate > 0 {
		b.level = math.Min(b.cap, b.level+secs*b.rate)
	}
}

func (b *bucket) take(n float64) {
	if b.rate > 0 {
		b.level -= n
	}
}

// wait is how long until the bucket is back at zero.
func (b *bucket) wait() time.Duration {
	if b.rate == 0 || b.level >= 0 {
		return 0
	}
	return time.Duration(math.Ceil(-b.level / b.rate * float64(time.Second)))
}

func (l *limiter) refill() {
	now := l.clock.Now()
	if secs := now.Sub(l.last).Seconds(); secs > 0 {
		l.req.refill(secs)
		l.tok.refill(secs)
		l.last = now
	}
}

// reserve takes one request and tokens, and returns how long to wait.
func (l *limiter) reserve(tokens int) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.refill()
	l.req.take(1)
	l.tok.take(float64(tokens))
	return max(l.req.wait(), l.tok.wait())
}

// cancel gives back a reservation that was not used.
func (l *limiter) cancel(tokens int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.refill()
	l.req.take(-1)
	l.tok.take(-float64(tokens))
	l.req.level = math.Min(l.req.level, l.req.cap)
	l.tok.level = math.Min(l.tok.level, l.tok.cap)
}

// correct charges the difference between the tokens a call used and those
// it reserved.
func (l *limiter) correct(diff int) {
	if diff == 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.refill()
	l.tok.take(float64(diff))
	l.tok.level = math.Min(l.tok.level, l.tok.cap)
}

// wait takes a slot for a call of tokens, waiting for it unless that would
// pass ctx's deadline.
func (l *limiter) wait(ctx context.Context, name string, tokens int) error {
	d := l.reserve(tokens)
	if d <= 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok {
		if left := time.Until(dl); d >= left {
			l.cancel(tokens)
			return &RateLimitError{Model: name, Wait: d, Left: left}
		}
	}
	chain.Emit(ctx, chain.Event{Kind: EventRateLimit, Name: name, Delay: d})
	select {
	case <-ctx.Done():
		l.cancel(tokens)
		return fmt.Errorf("%s: waiting for the rate limit: %w", name, context.Cause(ctx))
	case <-l.clock.After(d):
		return nil
	}
}

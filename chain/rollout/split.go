package rollout

import (
	"cmp"
	"context"
	"math"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/internal/stats"
)

// SplitArm is one arm of a Split: a named chain and its share of the
// traffic. Make it with Arm.
type SplitArm[In, Out any] struct {
	name   string
	chain  chain.Chain[In, Out]
	weight float64
}

// Arm makes an arm of a Split that receives weight/(sum of weights) of
// the traffic. The chain must not be nil and the weight must be finite
// and not negative; NewSplit reports an arm that breaks these rules.
func Arm[In, Out any](name string, c chain.Chain[In, Out], weight float64) SplitArm[In, Out] {
	return SplitArm[In, Out]{name: name, chain: c, weight: weight}
}

// SplitOption configures NewSplit. An invalid value is not applied:
// NewSplit reports it as an error matching chain.ErrConfig.
type SplitOption[In any] func(*splitConfig[In])

type splitConfig[In any] struct {
	key func(In) string
	rng *rand.Rand // set by SplitSeed
	err error      // the first invalid option
}

// SplitKey makes the split deterministic: an input goes to the arm its
// key's hash (FNV-1a) falls in, so the same key (a user or request ID)
// always takes the same arm while the weights stay the same. key must not
// be nil.
func SplitKey[In any](key func(In) string) SplitOption[In] {
	return func(c *splitConfig[In]) {
		if key == nil {
			c.err = cmp.Or(c.err, configError("SplitKey", "nil key function"))
			return
		}
		c.key = key
	}
}

// SplitSeed draws the arm of inputs without a key from a random source
// seeded with seed, so tests see the same sequence of arms. Without it
// the split draws from the runtime's random source.
func SplitSeed[In any](seed uint64) SplitOption[In] {
	return func(c *splitConfig[In]) { c.rng = stats.NewRand(seed) }
}

// Split sends each input to one of several chains by weight; see
// NewSplit.
type Split[In, Out any] struct {
	arms   []SplitArm[In, Out]
	cum    []float64 // cumulative weights, normalised to end at 1
	cfg    splitConfig[In]
	mu     sync.Mutex // guards cfg.rng
	counts []atomic.Uint64
}

// NewSplit returns a chain that sends each input to one arm, chosen with
// probability proportional to the arms' weights: traffic splitting for a
// canary or an A/B test. With SplitKey the choice is a hash of the
// input's key (FNV-1a, mixed); otherwise it is random (SplitSeed for a
// reproducible sequence). It reports the chosen arm to hooks as a
// chain.EventRoute event named after the arm, and counts inputs per arm
// (Counts).
//
// NewSplit fails, with an error matching chain.ErrConfig, when there are
// no arms, an arm has no chain (it was not made with Arm) or a weight
// that is negative, NaN or infinite, every weight is 0, or an option is
// invalid.
func NewSplit[In, Out any](arms []SplitArm[In, Out], opts ...SplitOption[In]) (*Split[In, Out], error) {
	if len(arms) == 0 {
		return nil, configError("NewSplit", "no arms")
	}
	total := 0.0
	for i, a := range arms {
		if a.chain == nil {
			return nil, configError("NewSplit", "arm %d (%q) has no chain", i, a.name)
		}
		if a.weight < 0 || math.IsNaN(a.weight) || math.IsInf(a.weight, 0) {
			return nil, configError("NewSplit", "arm %q: weight must be finite and not negative, got %v", a.name, a.weight)
		}
		total += a.weight
	}
	if total == 0 {
		return nil, configError("NewSplit", "every arm has weight 0")
	}
	if math.IsInf(total, 0) {
		return nil, configError("NewSplit", "the weights add up to more than a float holds")
	}
	s := &Split[In, Out]{arms: append([]SplitArm[In, Out](nil), arms...), counts: make([]atomic.Uint64, len(arms))}
	for _, o := range opts {
		if o != nil {
			o(&s.cfg)
		}
	}
	if s.cfg.err != nil {
		return nil, s.cfg.err
	}
	acc := 0.0
	for _, a := range arms {
		acc += a.weight
		s.cum = append(s.cum, acc/total)
	}
	return s, nil
}

// MustSplit is NewSplit that panics with its error instead of returning
// it (chain.Build turns the panic back into the error).
func MustSplit[In, Out any](arms []SplitArm[In, Out], opts ...SplitOption[In]) *Split[In, Out] {
	s, err := NewSplit(arms, opts...)
	if err != nil {
		panic(err)
	}
	return s
}

// Run sends in to the arm Pick chooses.
func (s *Split[In, Out]) Run(ctx context.Context, in In) (Out, error) {
	i := s.Pick(in)
	s.counts[i].Add(1)
	chain.Emit(ctx, chain.Event{Kind: chain.EventRoute, Name: s.arms[i].name, Index: i})
	return s.arms[i].chain.Run(ctx, in)
}

// Pick returns the index of the arm an input goes to. With SplitKey the
// same input always gets the same arm.
func (s *Split[In, Out]) Pick(in In) int {
	var u float64
	switch {
	case s.cfg.key != nil:
		u = float64(mix(fnv1a(s.cfg.key(in)))>>11) / (1 << 53)
	case s.cfg.rng != nil:
		s.mu.Lock()
		u = s.cfg.rng.Float64()
		s.mu.Unlock()
	default:
		u = rand.Float64()
	}
	for i, c := range s.cum {
		if u < c && s.arms[i].weight > 0 {
			return i
		}
	}
	// u fell past the last arm by rounding, or into the end of zero-weight
	// arms: take the last arm with weight.
	for i := len(s.arms) - 1; ; i-- {
		if s.arms[i].weight > 0 {
			return i
		}
	}
}

// fnv1a is the 64-bit FNV-1a hash of s, as hash/fnv computes it, without
// the allocations of a hash.Hash64 on every call.
func fnv1a(s string) uint64 {
	const (
		offset64 = 14695981039346656037
		prime64  = 1099511628211
	)
	h := uint64(offset64)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= prime64
	}
	return h
}

// mix is MurmurHash3's 64-bit finaliser: FNV-1a alone leaves its high
// bits nearly equal for keys that differ only at the end ("user-17",
// "user-18"), and the split reads the high bits.
func mix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// Counts returns how many inputs each arm has received, by arm name.
func (s *Split[In, Out]) Counts() map[string]uint64 {
	m := make(map[string]uint64, len(s.arms))
	for i, a := range s.arms {
		m[a.name] += s.counts[i].Load()
	}
	return m
}

// Describe reports the split as a route node whose edges carry the arms'
// shares of the traffic.
func (s *Split[In, Out]) Describe() chain.Node {
	n := chain.Node{Kind: chain.KindRoute, Name: "split", Chain: s}
	if s.cfg.key != nil {
		n.Detail = "by key"
	}
	prev := 0.0
	for i, a := range s.arms {
		c := chain.Describe(a.chain)
		c.Name = a.name
		n.Children = append(n.Children, c)
		n.Labels = append(n.Labels, strconv.FormatFloat(100*(s.cum[i]-prev), 'g', 3, 64)+"%")
		prev = s.cum[i]
	}
	return n
}

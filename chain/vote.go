package chain

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Voter is one member of a Vote: a named chain with a weight (1 unless set).
// The member's name is its stage name: it labels the member in the graph,
// is a segment of the hook paths inside it, and names it in its ballot's
// error, as Named does.
type Voter[I, O any] struct {
	name   string
	chain  Chain[I, O]
	weight float64
}

// Member makes a vote member of weight 1.
func Member[I, O any](name string, c Chain[I, O]) Voter[I, O] {
	if isNil(c) {
		panic(configError("Member", "nil chain for member %q", name))
	}
	return Voter[I, O]{name: name, chain: c, weight: 1}
}

// Weight returns a copy of the member with weight w, which Weighted and
// WeightedMean use. It panics if w is negative, NaN or infinite.
func (v Voter[I, O]) Weight(w float64) Voter[I, O] {
	if w < 0 || math.IsNaN(w) || math.IsInf(w, 0) {
		panic(configError("Voter.Weight", "member %q: weight must be finite and not negative, got %v", v.name, w))
	}
	v.weight = w
	return v
}

// Ballot is one member's part in a verdict: its answer or error, its
// weight and how long it took. The error of a named member is a
// *StageError naming it ("mistral: gave up after 3 attempts: ...").
type Ballot[O any] struct {
	Name    string
	Answer  O
	Err     error
	Weight  float64
	Latency time.Duration
}

// Verdict is the outcome of a Vote: the winning answer, the agreement
// ratio (for Majority and Weighted, the share of the valid vote weight that
// backed the answer), and every member's ballot in member order.
type Verdict[O any] struct {
	Answer    O
	Agreement float64
	Ballots   []Ballot[O]
}

// VoteOption configures Vote.
type VoteOption func(*voteConfig)

type voteConfig struct {
	quorum int
	limit  int
}

// Quorum sets how many members must answer without error for the vote to
// stand (default 1). It panics if n < 1; Vote panics if n exceeds the
// number of members.
func Quorum(n int) VoteOption {
	if n < 1 {
		panic(configError("Quorum", "quorum must be at least 1, got %d", n))
	}
	return func(c *voteConfig) { c.quorum = n }
}

// VoteLimit caps how many members run at once (default: all).
func VoteLimit(n int) VoteOption {
	if n < 1 {
		panic(configError("VoteLimit", "limit must be at least 1, got %d", n))
	}
	return func(c *voteConfig) { c.limit = n }
}

// QuorumError is returned when fewer members answered than the quorum
// needs. Verdict holds every ballot, so callers can see what failed. Node
// is the Vote's name, if it was given one.
type QuorumError[O any] struct {
	Node    string
	Need    int
	Got     int
	Verdict Verdict[O]
}

// Error says how many answers were needed and how many came, and why each
// failed member failed.
func (e *QuorumError[O]) Error() string {
	s := fmt.Sprintf("%d of %d members answered, quorum is %d", e.Got, len(e.Verdict.Ballots), e.Need)
	for _, b := range e.Verdict.Ballots {
		if b.Err != nil {
			s += "; " + nameErr(b.Name, b.Err)
		}
	}
	return s
}

// Is reports whether target is ErrNoQuorum.
func (e *QuorumError[O]) Is(target error) bool { return target == ErrNoQuorum }

// Vote runs every member on the same input at once and aggregates their
// answers into a Verdict. A member that fails is recorded in its ballot and
// does not fail the vote while at least the quorum of members answered;
// below it, Vote returns a *QuorumError (errors.Is(err, ErrNoQuorum)). The
// aggregator decides the answer: Majority, Weighted, WeightedMean or your
// own.
//
// Vote panics (a *ConfigError) if there are no members, an aggregator is
// missing, the quorum exceeds the members, or every weight is zero.
func Vote[I, O any](agg Aggregator[O], members []Voter[I, O], opts ...VoteOption) Chain[I, Verdict[O]] {
	if agg == nil {
		panic(configError("Vote", "nil aggregator"))
	}
	if len(members) == 0 {
		panic(configError("Vote", "no members"))
	}
	cfg := voteConfig{quorum: 1}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.quorum > len(members) {
		panic(configError("Vote", "quorum %d exceeds the %d members", cfg.quorum, len(members)))
	}
	total := 0.0
	own := make([]Voter[I, O], len(members))
	for i, m := range members {
		if isNil(m.chain) {
			panic(configError("Vote", "member %d has no chain (use chain.Member)", i))
		}
		total += m.weight
		if m.name != "" {
			m.chain = Named(m.name, m.chain) // the member's name is a stage name
		}
		own[i] = m
	}
	if total == 0 {
		panic(configError("Vote", "every member has weight 0"))
	}
	return &vote[I, O]{meta: newMeta(KindVote), agg: agg, members: own, cfg: cfg}
}

type vote[I, O any] struct {
	meta
	agg     Aggregator[O]
	members []Voter[I, O]
	cfg     voteConfig
}

func (v *vote[I, O]) Run(ctx context.Context, in I) (Verdict[O], error) {
	return observe(ctx, &v.meta, in, v.run)
}

func (v *vote[I, O]) run(ctx context.Context, in I) (Verdict[O], error) {
	ballots := make([]Ballot[O], len(v.members))
	_ = fanOut(ctx, len(v.members), v.cfg.limit, false, func(ctx context.Context, i int) error {
		m := v.members[i]
		b := &ballots[i]
		b.Name, b.Weight = m.name, m.weight
		if err := ctx.Err(); err != nil {
			b.Err = err
			if m.name != "" {
				b.Err = &StageError{Stage: m.name, Err: err}
			}
			return nil
		}
		start := time.Now()
		b.Answer, b.Err = SafeRun(ctx, m.chain, in)
		b.Latency = time.Since(start)
		return nil
	})
	verdict := Verdict[O]{Ballots: ballots}
	if err := ctx.Err(); err != nil {
		return verdict, err
	}
	got := 0
	for _, b := range ballots {
		if b.Err == nil {
			got++
		}
	}
	if got < v.cfg.quorum {
		return verdict, &QuorumError[O]{Node: v.info.Name, Need: v.cfg.quorum, Got: got, Verdict: verdict}
	}
	answer, agreement, err := v.agg.Aggregate(ballots)
	if err != nil {
		return verdict, fmt.Errorf("aggregate: %w", err)
	}
	verdict.Answer, verdict.Agreement = answer, agreement
	return verdict, nil
}

func (v *vote[I, O]) Describe() Node {
	n := Node{Kind: KindVote, Name: v.nodeName(), Chain: v, Detail: describeAggregator(v.agg) + ", quorum " + strconv.Itoa(v.cfg.quorum)}
	for _, m := range v.members {
		c := Describe(m.chain)
		c.Name = m.name
		n.Children = append(n.Children, c)
		n.Labels = append(n.Labels, "w="+strconv.FormatFloat(m.weight, 'g', 4, 64))
	}
	return n
}

func (v *vote[I, O]) rename(name string) any {
	c := *v
	c.meta = c.meta.renamed(name)
	return &c
}

// Winner drops the ballots of a vote and keeps the winning answer, so a
// vote can be a stage whose output is the plain answer type. Like Wrap, it
// is transparent in the graph (the vote's node).
func Winner[I, O any](v Chain[I, Verdict[O]]) Chain[I, O] {
	if isNil(v) {
		panic(configError("Winner", "nil chain"))
	}
	return Wrap(v, func(ctx context.Context, in I, v Chain[I, Verdict[O]]) (O, error) {
		verdict, err := v.Run(ctx, in)
		return verdict.Answer, err
	})
}

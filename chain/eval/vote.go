package eval

import (
	"context"
	"errors"
	"fmt"

	"github.com/chorus-go/chorus/chain"
)

// EvaluateVote evaluates a chain.Vote classifier and each of its members
// from the same run: every verdict carries each member's ballot, so the
// members are scored without calling them again. The report is the
// ensemble's, with the vote's mean agreement and one report per member in
// Members, so the text table shows whether the ensemble beats its best
// member. When a vote fails for want of a quorum, its members' ballots
// still count (they are read from the *chain.QuorumError); a member with
// no ballot for an example is counted as failed on it.
func EvaluateVote[In any, L comparable](ctx context.Context, c chain.Chain[In, chain.Verdict[L]], data []Example[In, L], opts ...Option) (*Report, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	outs, err := collectData(ctx, "EvaluateVote", c, data, cfg)
	if err != nil {
		return nil, err
	}
	want := wants(data)
	return scoreVote(outs, nameOf(c, cfg), cfg, func(got []Outcome[L]) *Report { return scoreLabels(want, got, cfg) }), nil
}

// EvaluateVoteNumbers is EvaluateVote for a numeric vote (such as one
// aggregated by chain.WeightedMean): the ensemble and every member get
// regression metrics.
func EvaluateVoteNumbers[In any, N chain.Number](ctx context.Context, c chain.Chain[In, chain.Verdict[N]], data []Example[In, N], opts ...Option) (*Report, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	outs, err := collectData(ctx, "EvaluateVoteNumbers", c, data, cfg)
	if err != nil {
		return nil, err
	}
	want := wants(data)
	return scoreVote(outs, nameOf(c, cfg), cfg, func(got []Outcome[N]) *Report { return scoreNumbers(want, got, cfg) }), nil
}

// errNoBallot marks a member that has no ballot for an example because the
// vote failed before any member ran.
var errNoBallot = errors.New("eval: no ballot")

func scoreVote[O any](outs []Outcome[chain.Verdict[O]], name string, cfg config, score func([]Outcome[O]) *Report) *Report {
	ensemble := make([]Outcome[O], len(outs))
	ballots := make([][]chain.Ballot[O], len(outs))
	var agreement []float64
	var members []string
	for i, o := range outs {
		ensemble[i] = Outcome[O]{Output: o.Output.Answer, Err: o.Err, Latency: o.Latency}
		if o.Err == nil {
			agreement = append(agreement, o.Output.Agreement)
		}
		b := o.Output.Ballots
		var qe *chain.QuorumError[O]
		if len(b) == 0 && errors.As(o.Err, &qe) {
			b = qe.Verdict.Ballots
		}
		ballots[i] = b
		if members == nil && len(b) > 0 {
			for _, m := range b {
				members = append(members, m.Name)
			}
		}
	}
	r := score(ensemble)
	r.Name = name
	a := MeanInterval(agreement, cfg.level)
	r.Agreement = &a
	for m, member := range members {
		got := make([]Outcome[O], len(outs))
		for i, b := range ballots {
			if m < len(b) && b[m].Name == member {
				got[i] = Outcome[O]{Output: b[m].Answer, Err: b[m].Err, Latency: b[m].Latency}
				continue
			}
			got[i].Err = errNoBallot
			if outs[i].Err != nil {
				got[i].Err = fmt.Errorf("%w: %w", errNoBallot, outs[i].Err)
			}
		}
		mr := score(got)
		mr.Name = member
		r.Members = append(r.Members, mr)
	}
	return r
}

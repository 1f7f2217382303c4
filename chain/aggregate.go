package chain

import (
	"errors"
	"math"
)

// Aggregator turns the ballots of a vote into an answer and an agreement
// ratio in [0, 1]. Ballots with a non-nil Err must be ignored. Vote calls it
// only when the quorum answered.
type Aggregator[O any] interface {
	Aggregate(ballots []Ballot[O]) (answer O, agreement float64, err error)
}

// AggregatorFunc adapts a function to an Aggregator.
type AggregatorFunc[O any] func(ballots []Ballot[O]) (O, float64, error)

// Aggregate calls f.
func (f AggregatorFunc[O]) Aggregate(ballots []Ballot[O]) (O, float64, error) { return f(ballots) }

// errNoValidBallots is returned by the built-in aggregators when every
// ballot failed or had weight zero.
var errNoValidBallots = errors.New("no valid ballots")

// Majority returns the answer given by the most members, each counting
// once whatever its weight. Ties go to the tied answer given first in
// member order. Agreement is the winner's share of the valid ballots.
func Majority[O comparable]() Aggregator[O] { return plurality[O]{weighted: false} }

// Weighted returns the answer with the largest sum of member weights. Ties
// go to the tied answer given first in member order. Agreement is the
// winner's share of the total weight of valid ballots.
func Weighted[O comparable]() Aggregator[O] { return plurality[O]{weighted: true} }

type plurality[O comparable] struct{ weighted bool }

func (p plurality[O]) name() string {
	if p.weighted {
		return "weighted"
	}
	return "majority"
}

func (p plurality[O]) Aggregate(ballots []Ballot[O]) (O, float64, error) {
	// Few members: a slice scan keeps first-seen order for ties and avoids
	// a map allocation.
	type tally struct {
		answer O
		score  float64
	}
	var (
		tallies []tally
		total   float64
	)
	for _, b := range ballots {
		if b.Err != nil {
			continue
		}
		w := 1.0
		if p.weighted {
			w = b.Weight
		}
		total += w
		found := false
		for i := range tallies {
			if tallies[i].answer == b.Answer {
				tallies[i].score += w
				found = true
				break
			}
		}
		if !found {
			tallies = append(tallies, tally{b.Answer, w})
		}
	}
	var zero O
	if len(tallies) == 0 || total == 0 {
		return zero, 0, errNoValidBallots
	}
	best := 0
	for i := 1; i < len(tallies); i++ {
		if tallies[i].score > tallies[best].score {
			best = i
		}
	}
	return tallies[best].answer, tallies[best].score / total, nil
}

// Number is the constraint of WeightedMean: Go's integer and float types.
type Number interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~float32 | ~float64
}

// WeightedMean returns the weighted mean of the valid numeric answers
// (rounded toward zero for integer types). Agreement is 1 - s/|m| clamped
// to [0, 1], where m is the weighted mean and s the weighted standard
// deviation: 1 when all members agree, falling as they spread; when m is 0
// it is 1 if s is 0 and 0 otherwise.
func WeightedMean[O Number]() Aggregator[O] { return mean[O]{} }

type mean[O Number] struct{}

func (mean[O]) name() string { return "weighted mean" }

func (mean[O]) Aggregate(ballots []Ballot[O]) (O, float64, error) {
	var sum, wsum float64
	for _, b := range ballots {
		if b.Err == nil {
			sum += b.Weight * float64(b.Answer)
			wsum += b.Weight
		}
	}
	if wsum == 0 {
		return 0, 0, errNoValidBallots
	}
	m := sum / wsum
	var ss float64
	for _, b := range ballots {
		if b.Err == nil {
			d := float64(b.Answer) - m
			ss += b.Weight * d * d
		}
	}
	s := math.Sqrt(ss / wsum)
	agreement := 0.0
	switch {
	case m == 0 && s == 0:
		agreement = 1
	case m != 0:
		agreement = math.Max(0, 1-s/math.Abs(m))
	}
	return O(m), agreement, nil
}

func describeAggregator(a any) string {
	if n, ok := a.(interface{ name() string }); ok {
		return n.name()
	}
	return "custom"
}

// Package stats holds the few statistics that more than one of chain/eval,
// chain/rollout and chain/drift need, so that each lives in one place.
package stats

import (
	"math"
	"math/rand/v2"
)

// Ratio returns a/b, and 0 when b is 0.
func Ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// MeanStd returns the mean and the sample standard deviation (n-1 in the
// denominator; 0 for fewer than two values).
func MeanStd(xs []float64) (mean, std float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	if len(xs) < 2 {
		return mean, 0
	}
	var ss float64
	for _, x := range xs {
		d := x - mean
		ss += d * d
	}
	return mean, math.Sqrt(ss / float64(len(xs)-1))
}

// NewRand returns the seeded random source that every seeded draw in
// Chorus uses (resampling, hold-out sets, traffic splits), so that the
// same seed gives the same sequence everywhere.
func NewRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

package eval

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"github.com/chorus-go/chorus/chain/internal/stats"
)

// Method names how an Estimate's interval was computed.
type Method string

// The interval methods.
const (
	// MethodWilson is the Wilson score interval for a proportion.
	MethodWilson Method = "wilson"
	// MethodT is Student's t interval for a mean.
	MethodT Method = "t"
	// MethodBootstrap is the percentile bootstrap over resampled examples.
	MethodBootstrap Method = "bootstrap"
	// MethodNone means no interval was computed (bootstrap turned off, or
	// too few observations): Lower and Upper equal Value.
	MethodNone Method = "none"
)

// Estimate is a point estimate with its confidence interval: Lower <=
// Value <= Upper always holds. Level is the interval's confidence (0.95
// for a 95% interval) and N the number of observations behind it.
type Estimate struct {
	Value  float64 `json:"value"`
	Lower  float64 `json:"lower"`
	Upper  float64 `json:"upper"`
	Level  float64 `json:"level"`
	Method Method  `json:"method"`
	N      int     `json:"n"`
}

// String formats the estimate as "0.812 [0.702, 0.889]".
func (e Estimate) String() string {
	return fmt.Sprintf("%.3f [%.3f, %.3f]", e.Value, e.Lower, e.Upper)
}

// Contains reports whether x lies within the interval, bounds included.
func (e Estimate) Contains(x float64) bool { return e.Lower <= x && x <= e.Upper }

// Width returns Upper - Lower.
func (e Estimate) Width() float64 { return e.Upper - e.Lower }

// point returns an estimate with no interval.
func point(v float64, n int, level float64) Estimate {
	return Estimate{Value: v, Lower: v, Upper: v, Level: level, Method: MethodNone, N: n}
}

// clamp makes Lower <= Value <= Upper hold, which a percentile bootstrap
// does not guarantee on skewed statistics.
func (e Estimate) clamp() Estimate {
	e.Lower = math.Min(e.Lower, e.Value)
	e.Upper = math.Max(e.Upper, e.Value)
	return e
}

// Wilson returns the proportion k/n with its Wilson score interval at the
// given confidence level (0.95 for 95%). Unlike the normal ("Wald")
// interval it stays inside [0, 1] and keeps close to its nominal coverage
// for small n and proportions near 0 or 1. With n = 0 the proportion is
// 0 and the interval [0, 1].
func Wilson(k, n int, level float64) Estimate {
	if n <= 0 {
		return Estimate{Value: 0, Lower: 0, Upper: 1, Level: level, Method: MethodWilson}
	}
	z := normalQuantile(0.5 + level/2)
	nf := float64(n)
	p := float64(k) / nf
	z2 := z * z
	denom := 1 + z2/nf
	center := (p + z2/(2*nf)) / denom
	half := z / denom * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	e := Estimate{Value: p, Lower: math.Max(0, center-half), Upper: math.Min(1, center+half), Level: level, Method: MethodWilson, N: n}
	return e.clamp()
}

// MeanInterval returns the mean of xs with Student's t interval at the
// given confidence level: mean ± t(1-(1-level)/2, n-1)·s/√n. With fewer
// than two values there is no interval (MethodNone).
func MeanInterval(xs []float64, level float64) Estimate {
	n := len(xs)
	if n == 0 {
		return point(0, 0, level)
	}
	m, s := stats.MeanStd(xs)
	if n < 2 {
		return point(m, n, level)
	}
	half := studentQuantile(0.5+level/2, float64(n-1)) * s / math.Sqrt(float64(n))
	return Estimate{Value: m, Lower: m - half, Upper: m + half, Level: level, Method: MethodT, N: n}
}

// Bootstrap estimates a statistic of n examples with a percentile
// bootstrap interval: stat is computed once on the examples as they are
// (idx = 0, 1, ..., n-1) for the point estimate, then on resamples
// resamples of n indices drawn with replacement from a random source
// seeded with seed, and the interval is the (1-level)/2 and 1-(1-level)/2
// quantiles of those values. The same seed gives the same interval. With
// resamples < 1 or n = 0 there is no interval (MethodNone).
func Bootstrap(n, resamples int, seed uint64, level float64, stat func(idx []int) float64) Estimate {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	v := stat(idx)
	if resamples < 1 || n == 0 {
		return point(v, n, level)
	}
	rng := stats.NewRand(seed)
	vals := make([]float64, 0, resamples)
	for range resamples {
		for i := range idx {
			idx[i] = rng.IntN(n)
		}
		if s := stat(idx); !math.IsNaN(s) {
			vals = append(vals, s)
		}
	}
	return percentile(v, vals, n, level)
}

// percentile turns bootstrap replicates into an Estimate around v,
// leaving out the replicates where the statistic was undefined (NaN).
func percentile(v float64, vals []float64, n int, level float64) Estimate {
	vals = slices.DeleteFunc(vals, math.IsNaN)
	if len(vals) == 0 {
		return point(v, n, level)
	}
	slices.Sort(vals)
	alpha := 1 - level
	e := Estimate{
		Value:  v,
		Lower:  quantileSorted(vals, alpha/2),
		Upper:  quantileSorted(vals, 1-alpha/2),
		Level:  level,
		Method: MethodBootstrap,
		N:      n,
	}
	return e.clamp()
}

// replicate runs the resamples of a bootstrap on up to GOMAXPROCS
// goroutines. Each worker gets its own scratch space from newWorker, and
// each resample b its own source seeded with (seed, b), so the result does
// not depend on how resamples are spread over workers. The returned
// function must write only to slots of index b.
func replicate(resamples int, seed uint64, newWorker func() func(b int, rng *rand.PCG)) {
	workers := min(runtime.GOMAXPROCS(0), max(resamples/50, 1))
	var next sync.Mutex
	b := 0
	take := func() int {
		next.Lock()
		defer next.Unlock()
		b++
		return b - 1
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			run := newWorker()
			rng := rand.NewPCG(0, 0)
			for i := take(); i < resamples; i = take() {
				rng.Seed(seed, uint64(i))
				run(i, rng)
			}
		})
	}
	wg.Wait()
}

// draw returns a random index below n (Lemire's multiply-shift; the bias,
// n/2⁶⁴, is far below anything a bootstrap can see).
func draw(rng *rand.PCG, n int) int {
	hi, _ := bits.Mul64(rng.Uint64(), uint64(n))
	return int(hi)
}

// quantileSorted returns the q-quantile of sorted xs by linear
// interpolation between order statistics (Hyndman and Fan's type 7, the
// default of R and NumPy).
func quantileSorted(xs []float64, q float64) float64 {
	if len(xs) == 1 {
		return xs[0]
	}
	h := float64(len(xs)-1) * q
	lo := int(math.Floor(h))
	if lo >= len(xs)-1 {
		return xs[len(xs)-1]
	}
	return xs[lo] + (h-float64(lo))*(xs[lo+1]-xs[lo])
}

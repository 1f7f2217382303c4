package eval

import (
	"math"
	"slices"
)

// McNemar returns the two-sided p-value of McNemar's exact test on paired
// outcomes: b is the number of pairs only the first model got right and c
// the number only the second got right (pairs both got right or both got
// wrong carry no information). Under the hypothesis that the models are
// equally accurate, b is Binomial(b+c, 1/2), and the p-value is
// min(1, 2·P(X <= min(b, c))). It is 1 when b+c = 0.
func McNemar(b, c int) float64 {
	n := b + c
	if n <= 0 {
		return 1
	}
	k := min(b, c)
	lgN, _ := math.Lgamma(float64(n + 1))
	var tail float64
	for i := 0; i <= k; i++ {
		lgI, _ := math.Lgamma(float64(i + 1))
		lgR, _ := math.Lgamma(float64(n - i + 1))
		tail += math.Exp(lgN - lgI - lgR - float64(n)*math.Ln2)
	}
	return math.Min(1, 2*tail)
}

// WilcoxonSignedRank tests whether paired differences are centred on
// zero. Zero (and NaN) differences are dropped; the others are ranked by
// absolute value, ties getting their average rank, and w is the sum of
// the ranks of the positive differences. The two-sided p-value is exact
// (the permutation distribution of the signs over the observed ranks, so
// ties are handled exactly) for up to 200 differences, and otherwise
// from the normal approximation with the tie and continuity corrections.
// Infinite differences are allowed and rank above all finite ones. With no
// non-zero difference, w is 0 and p is 1.
func WilcoxonSignedRank(diffs []float64) (w, p float64) {
	type obs struct {
		abs float64
		pos bool
	}
	var xs []obs
	for _, d := range diffs {
		if d != 0 && !math.IsNaN(d) {
			xs = append(xs, obs{math.Abs(d), d > 0})
		}
	}
	n := len(xs)
	if n == 0 {
		return 0, 1
	}
	slices.SortFunc(xs, func(a, b obs) int { return compareFloat(a.abs, b.abs) })
	// Doubled ranks are whole numbers even with ties: the average of ranks
	// i+1..j is (i+1+j)/2.
	ranks2 := make([]int, n)
	var tieTerm float64
	w2 := 0
	for i := 0; i < n; {
		j := i + 1
		for j < n && xs[j].abs == xs[i].abs {
			j++
		}
		r2 := i + 1 + j
		for k := i; k < j; k++ {
			ranks2[k] = r2
			if xs[k].pos {
				w2 += r2
			}
		}
		t := float64(j - i)
		tieTerm += t*t*t - t
		i = j
	}
	w = float64(w2) / 2
	if n <= 200 {
		return w, exactSignedRank(ranks2, w2)
	}
	nf := float64(n)
	mean := nf * (nf + 1) / 4
	sd := math.Sqrt(nf*(nf+1)*(2*nf+1)/24 - tieTerm/48)
	if sd == 0 {
		return w, 1
	}
	z := (math.Abs(w-mean) - 0.5) / sd
	return w, math.Min(1, 2*(1-normalCDF(math.Max(z, 0))))
}

// exactSignedRank returns the two-sided p-value of the doubled rank sum w2
// under random signs, by dynamic programming over the sums.
func exactSignedRank(ranks2 []int, w2 int) float64 {
	total := 0
	for _, r := range ranks2 {
		total += r
	}
	dist := make([]float64, total+1)
	dist[0] = 1
	reach := 0
	for _, r := range ranks2 {
		for s := reach; s >= 0; s-- {
			if dist[s] != 0 {
				dist[s+r] += dist[s] / 2
				dist[s] /= 2
			}
		}
		reach += r
	}
	var lower, upper float64
	for s, q := range dist {
		if s <= w2 {
			lower += q
		}
		if s >= w2 {
			upper += q
		}
	}
	return math.Min(1, 2*math.Min(lower, upper))
}

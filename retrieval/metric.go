package retrieval

import (
	"fmt"
	"math"
)

// Metric is how a store compares vectors. Every store reports a score
// where higher is more similar, the same for a given metric whatever the
// store:
//
//   - Cosine (the default): the cosine similarity, in [-1, 1]; it is 1
//     minus the cosine distance (pgvector's <=>). Vectors must not be zero.
//   - L2: 1 / (1 + d) where d is the Euclidean distance (pgvector's <->),
//     in (0, 1]; 1 means identical vectors.
//   - InnerProduct: the dot product, unbounded (pgvector's <#> is its
//     negation). For unit vectors it equals the cosine similarity.
//
// MinScore thresholds apply to these scores.
type Metric int

// The metrics.
const (
	Cosine Metric = iota
	L2
	InnerProduct
)

// String names the metric.
func (m Metric) String() string {
	switch m {
	case Cosine:
		return "cosine"
	case L2:
		return "l2"
	case InnerProduct:
		return "inner product"
	}
	return fmt.Sprintf("Metric(%d)", int(m))
}

// Valid reports whether m is one of the metrics.
func (m Metric) Valid() bool { return m == Cosine || m == L2 || m == InnerProduct }

// ScoreFromDistance turns a pgvector distance (the value of <=>, <-> or
// <#> for Cosine, L2 and InnerProduct) into the metric's score.
func (m Metric) ScoreFromDistance(d float64) float64 {
	switch m {
	case L2:
		return 1 / (1 + d)
	case InnerProduct:
		return -d
	}
	return clamp1(1 - d)
}

// Similarity returns the score of a against b, computed exactly. Both must
// have the same length.
func (m Metric) Similarity(a, b []float32) float64 {
	switch m {
	case L2:
		return 1 / (1 + math.Sqrt(float64(l2sq(a, b))))
	case InnerProduct:
		return float64(dot(a, b))
	}
	na, nb := norm(a), norm(b)
	if na == 0 || nb == 0 {
		return 0
	}
	return clamp1(float64(dot(a, b)) / (na * nb))
}

func clamp1(x float64) float64 { return math.Max(-1, math.Min(1, x)) }

func norm(v []float32) float64 { return math.Sqrt(float64(dot(v, v))) }

// dot is the dot product, unrolled by four.
func dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return s0 + s1 + s2 + s3
}

// l2sq is the squared Euclidean distance.
func l2sq(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1 float32
	i := 0
	for ; i+2 <= len(a); i += 2 {
		d0, d1 := a[i]-b[i], a[i+1]-b[i+1]
		s0 += d0 * d0
		s1 += d1 * d1
	}
	for ; i < len(a); i++ {
		d := a[i] - b[i]
		s0 += d * d
	}
	return s0 + s1
}

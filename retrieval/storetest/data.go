package storetest

import (
	"math"
	"math/rand/v2"
)

// ClusteredVectors returns n unit vectors of dimension dim drawn around
// centres random centres (each vector is a centre plus Gaussian noise of
// relative scale noise, then normalised), and the centre each belongs to.
// Unlike uniformly random vectors, whose nearest neighbours are all about
// equally far, these have structure, so the recall of an approximate index
// means something. The same seed gives the same vectors.
func ClusteredVectors(n, dim, centres int, noise float64, seed uint64) (vectors [][]float32, cluster []int) {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	cs := make([][]float64, centres)
	for i := range cs {
		cs[i] = make([]float64, dim)
		for j := range cs[i] {
			cs[i][j] = r.NormFloat64()
		}
		normalize64(cs[i])
	}
	vectors = make([][]float32, n)
	cluster = make([]int, n)
	sigma := noise / math.Sqrt(float64(dim))
	v := make([]float64, dim)
	for i := range vectors {
		c := r.IntN(centres)
		for j := range v {
			v[j] = cs[c][j] + sigma*r.NormFloat64()
		}
		normalize64(v)
		out := make([]float32, dim)
		for j := range v {
			out[j] = float32(v[j])
		}
		vectors[i], cluster[i] = out, c
	}
	return vectors, cluster
}

func normalize64(v []float64) {
	var s float64
	for _, x := range v {
		s += x * x
	}
	s = math.Sqrt(s)
	for i := range v {
		v[i] /= s
	}
}

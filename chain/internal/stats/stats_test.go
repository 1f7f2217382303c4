package stats

import (
	"math"
	"testing"
)

func TestRatio(t *testing.T) {
	if got := Ratio(1, 4); got != 0.25 {
		t.Errorf("Ratio(1, 4) = %v", got)
	}
	if got := Ratio(3, 0); got != 0 {
		t.Errorf("Ratio(3, 0) = %v, want 0", got)
	}
}

func TestMeanStd(t *testing.T) {
	for _, tc := range []struct {
		xs        []float64
		mean, std float64
	}{
		{nil, 0, 0},
		{[]float64{5}, 5, 0},
		{[]float64{2, 4, 4, 4, 5, 5, 7, 9}, 5, math.Sqrt(32.0 / 7)},
	} {
		m, s := MeanStd(tc.xs)
		if math.Abs(m-tc.mean) > 1e-12 || math.Abs(s-tc.std) > 1e-12 {
			t.Errorf("MeanStd(%v) = %v, %v, want %v, %v", tc.xs, m, s, tc.mean, tc.std)
		}
	}
}

func TestNewRandIsSeeded(t *testing.T) {
	a, b := NewRand(7), NewRand(7)
	for range 10 {
		if a.Uint64() != b.Uint64() {
			t.Fatal("the same seed gave different sequences")
		}
	}
	if NewRand(7).Uint64() == NewRand(8).Uint64() {
		t.Error("different seeds gave the same first draw")
	}
}

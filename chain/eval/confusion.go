package eval

import (
	"cmp"
	"fmt"
	"slices"
)

// Confusion is a confusion matrix: Counts[i][j] is the number of examples
// whose wanted label is Labels[i] and whose answer was Labels[j]. Errors[i]
// is the number of examples of Labels[i] whose chain failed, so each row
// sums, with its Errors entry, to the label's number of examples. Labels
// are sorted by their text.
type Confusion struct {
	Labels []string `json:"labels"`
	Counts [][]int  `json:"counts"`
	Errors []int    `json:"errors"`
}

// Count returns the number of examples wanted as label want and answered
// as label got, 0 for labels it does not hold.
func (c Confusion) Count(want, got string) int {
	i, j := slices.Index(c.Labels, want), slices.Index(c.Labels, got)
	if i < 0 || j < 0 {
		return 0
	}
	return c.Counts[i][j]
}

// labelSet maps labels of any comparable type to indices ordered by their
// text (fmt.Sprint), so reports are stable whatever order examples come in.
type labelSet[L comparable] struct {
	index map[L]int
	names []string
}

// newLabelSet indexes every label that is wanted or answered (failed
// outcomes have no answer). Labels whose text is equal keep the order in
// which they were first seen.
func newLabelSet[L comparable](want []L, got []Outcome[L]) labelSet[L] {
	type entry struct {
		label L
		name  string
	}
	seen := make(map[L]struct{})
	var entries []entry
	add := func(l L) {
		if _, ok := seen[l]; !ok {
			seen[l] = struct{}{}
			entries = append(entries, entry{l, fmt.Sprint(l)})
		}
	}
	for i, w := range want {
		add(w)
		if got[i].Err == nil {
			add(got[i].Output)
		}
	}
	slices.SortStableFunc(entries, func(a, b entry) int { return cmp.Compare(a.name, b.name) })
	s := labelSet[L]{index: make(map[L]int, len(entries)), names: make([]string, len(entries))}
	for i, e := range entries {
		s.index[e.label] = i
		s.names[i] = e.name
	}
	return s
}

// pairs returns, per example, the index of the wanted label and of the
// answer (-1 when the chain failed).
func (s labelSet[L]) pairs(want []L, got []Outcome[L]) (w, g []int) {
	w, g = make([]int, len(want)), make([]int, len(want))
	for i := range want {
		w[i] = s.index[want[i]]
		g[i] = -1
		if got[i].Err == nil {
			g[i] = s.index[got[i].Output]
		}
	}
	return w, g
}

// counts is a k×k confusion matrix in one slice, with failures per row.
type counts struct {
	k    int
	flat []int // cm then errs, in one array
	cm   []int // cm[want*k+got]
	errs []int
}

func newCounts(k int) *counts {
	flat := make([]int, k*k+k) // the matrix, then the errors per row
	return &counts{k: k, flat: flat, cm: flat[: k*k : k*k], errs: flat[k*k:]}
}

func (c *counts) add(want, got int) {
	if got < 0 {
		c.errs[want]++
		return
	}
	c.cm[want*c.k+got]++
}

// class returns, for class i, the true positives, the answers of i
// (predicted) and the examples of i that count (actual: those answered,
// plus those that failed when failures count as wrong).
func (c *counts) class(i int, errorsAsWrong bool) (tp, predicted, actual int) {
	tp = c.cm[i*c.k+i]
	for j := range c.k {
		predicted += c.cm[j*c.k+i]
		actual += c.cm[i*c.k+j]
	}
	if errorsAsWrong {
		actual += c.errs[i]
	}
	return tp, predicted, actual
}

func (c *counts) confusion(names []string) Confusion {
	m := Confusion{Labels: names, Counts: make([][]int, c.k), Errors: slices.Clone(c.errs)}
	for i := range c.k {
		m.Counts[i] = slices.Clone(c.cm[i*c.k : (i+1)*c.k])
	}
	return m
}

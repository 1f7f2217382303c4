package retrieval

import (
	"cmp"
	"container/heap"
	"slices"
)

// scored is a search candidate: its score and its position in the store.
type scored struct {
	score float64
	id    string
	pos   int
}

// better reports whether a ranks before b: higher score, then smaller ID.
func better(a, b scored) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.id < b.id
}

// topK keeps the k best candidates seen, worst at the root.
type topK struct {
	k     int
	items []scored
}

func (t *topK) Len() int           { return len(t.items) }
func (t *topK) Less(i, j int) bool { return better(t.items[j], t.items[i]) }
func (t *topK) Swap(i, j int)      { t.items[i], t.items[j] = t.items[j], t.items[i] }
func (t *topK) Push(x any)         { t.items = append(t.items, x.(scored)) }
func (t *topK) Pop() any {
	n := len(t.items) - 1
	x := t.items[n]
	t.items = t.items[:n]
	return x
}

// offer adds c if it is among the k best so far.
func (t *topK) offer(c scored) {
	if len(t.items) < t.k {
		heap.Push(t, c)
		return
	}
	if better(c, t.items[0]) {
		t.items[0] = c
		heap.Fix(t, 0)
	}
}

// sorted returns the kept candidates, best first.
func (t *topK) sorted() []scored {
	out := slices.Clone(t.items)
	slices.SortFunc(out, func(a, b scored) int {
		if better(a, b) {
			return -1
		}
		if better(b, a) {
			return 1
		}
		return cmp.Compare(a.pos, b.pos)
	})
	return out
}

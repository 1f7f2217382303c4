package retrieval

import (
	"cmp"
	"slices"
)

// RRFConstant is the k of reciprocal rank fusion: a document at rank r
// (from 1) of a ranking adds 1/(RRFConstant + r) to its fused score. 60 is
// the value of Cormack, Clarke and Büttcher's paper, which works well
// without tuning.
const RRFConstant = 60

// FuseRRF merges rankings by reciprocal rank fusion and returns the k best
// documents (all of them if k < 1), each with Score set to its fused score.
// Documents are matched by ID; the first ranking's copy of a document is
// kept. Ties go to the document ranked first in the earliest ranking.
func FuseRRF(k int, rankings ...[]Document) []Document {
	type fused struct {
		doc   Document
		score float64
		order int
	}
	byID := map[string]*fused{}
	var all []*fused
	for _, ranking := range rankings {
		for r, d := range ranking {
			f, ok := byID[d.ID]
			if !ok {
				f = &fused{doc: d, order: len(all)}
				byID[d.ID] = f
				all = append(all, f)
			}
			f.score += 1 / float64(RRFConstant+r+1)
		}
	}
	slices.SortStableFunc(all, func(a, b *fused) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.order, b.order)
	})
	if k > 0 && len(all) > k {
		all = all[:k]
	}
	out := make([]Document, len(all))
	for i, f := range all {
		out[i] = f.doc
		out[i].Score = f.score
	}
	return out
}

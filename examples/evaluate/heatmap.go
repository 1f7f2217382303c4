package main

import (
	"fmt"
	"slices"

	"github.com/chorus-go/chorus/chain/eval"
)

// Layout of the confusion heatmap, in pixels.
const (
	cellSize   = 76
	heatLeft   = 120 // room for the row labels
	heatTop    = 96  // the title and the column labels
	heatMargin = 24
)

// confusionSVG draws a confusion matrix as a heatmap: one cell per wanted
// (row) and answered (column) type with its count, shaded by its share of
// the row, so the diagonal shows each type's recall. A column of failures
// ("no answer") is added when some example got none.
func confusionSVG(title string, c eval.Confusion) string {
	k := len(c.Labels)
	cols := slices.Clone(c.Labels)
	failed := slices.ContainsFunc(c.Errors, func(n int) bool { return n > 0 })
	if failed {
		cols = append(cols, "no answer")
	}
	width := heatLeft + len(cols)*cellSize + heatMargin
	height := heatTop + k*cellSize + 56
	s := newSVG(width, height)
	s.text(float64(width)/2, 24, "middle", title, `font-size="15"`, `font-weight="bold"`)
	gridMid := heatLeft + float64(len(cols)*cellSize)/2
	s.text(gridMid, 50, "middle", "answered", `fill="#555555"`)
	for j, l := range cols {
		s.text(heatLeft+float64(j*cellSize)+cellSize/2, heatTop-12, "middle", l)
	}
	rowsMid := heatTop + float64(k*cellSize)/2
	s.text(24, rowsMid, "middle", "wanted", `fill="#555555"`, fmt.Sprintf(`transform="rotate(-90 24 %.1f)"`, rowsMid))
	for i, l := range c.Labels {
		s.text(heatLeft-10, heatTop+float64(i*cellSize)+cellSize/2+5, "end", l)
		total := c.Errors[i]
		for _, n := range c.Counts[i] {
			total += n
		}
		row := slices.Clone(c.Counts[i])
		if failed {
			row = append(row, c.Errors[i])
		}
		for j, n := range row {
			x, y := heatLeft+j*cellSize, heatTop+i*cellSize
			fill, light := shade(rate(n, total))
			s.printf(`<rect class="cell" x="%d" y="%d" width="%d" height="%d" fill="%s" stroke="#ffffff" stroke-width="2"><title>%s</title></rect>`,
				x, y, cellSize, cellSize, fill, esc(fmt.Sprintf("wanted %s, answered %s: %d of %d", l, cols[j], n, total)))
			ink := "#222222"
			if light {
				ink = "#ffffff"
			}
			s.text(float64(x)+cellSize/2, float64(y)+cellSize/2+6, "middle", fmt.Sprint(n), `font-size="18"`, `fill="`+ink+`"`)
		}
	}
	s.text(float64(width)/2, float64(height)-18, "middle", "shade: share of the wanted type's examples (the diagonal is recall)", `font-size="11"`, `fill="#555555"`)
	return s.String()
}

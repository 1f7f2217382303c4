package main

import (
	"fmt"
	"strings"
)

// Layout of the ROC plot, in pixels.
const (
	plotSize  = 400
	plotLeft  = 70
	plotTop   = 56
	rocWidth  = plotLeft + plotSize + 30
	rocHeight = plotTop + plotSize + 60
)

// rocSVG draws a ROC curve: the curve, the diagonal of a model that
// guesses, a grid, and a legend with the AUC and its interval.
func rocSVG(r *ROC) string {
	s := newSVG(rocWidth, rocHeight)
	x := func(fpr float64) float64 { return plotLeft + fpr*plotSize }
	y := func(tpr float64) float64 { return plotTop + (1-tpr)*plotSize }
	s.text(rocWidth/2, 28, "middle", fmt.Sprintf("ROC: %s, %s against the other types", r.Model, r.Class), `font-size="15"`, `font-weight="bold"`)
	for i := 0; i <= 5; i++ {
		v := float64(i) / 5
		s.printf(`<line class="grid" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#e5e5e5"/>`, x(v), y(0), x(v), y(1))
		s.printf(`<line class="grid" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#e5e5e5"/>`, x(0), y(v), x(1), y(v))
		s.text(x(v), y(0)+18, "middle", fmt.Sprintf("%.1f", v), `font-size="11"`)
		s.text(x(0)-8, y(v)+4, "end", fmt.Sprintf("%.1f", v), `font-size="11"`)
	}
	s.printf(`<rect class="frame" x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#333333"/>`, plotLeft, plotTop, plotSize, plotSize)
	s.text(x(0.5), y(0)+42, "middle", fmt.Sprintf("false positive rate (of %d others)", r.Negatives))
	ty := y(0.5)
	s.text(24, ty, "middle", fmt.Sprintf("true positive rate (of %d %s)", r.Positives, r.Class), fmt.Sprintf(`transform="rotate(-90 24 %.1f)"`, ty))

	s.printf(`<line class="chance" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#999999" stroke-dasharray="6 4"/>`, x(0), y(0), x(1), y(1))
	pts := make([]string, len(r.Points))
	for i, p := range r.Points {
		pts[i] = fmt.Sprintf("%.1f,%.1f", x(p.FPR), y(p.TPR))
	}
	s.printf(`<polyline class="roc" points="%s" fill="none" stroke="#1f5fa8" stroke-width="2.5" stroke-linejoin="round"/>`, strings.Join(pts, " "))

	// The legend, at the bottom right where a good curve leaves room.
	lx, ly := x(0.16), y(0.2)
	s.printf(`<rect class="legend" x="%.1f" y="%.1f" width="%.1f" height="50" fill="#ffffff" stroke="#cccccc"/>`, lx, ly, x(0.99)-lx)
	s.printf(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#1f5fa8" stroke-width="2.5"/>`, lx+8, ly+17, lx+32, ly+17)
	s.text(lx+38, ly+21, "start", fmt.Sprintf("%s: AUC %.3f, %g%% CI [%.3f, %.3f]", r.Model, r.AUC.Value, 100*r.AUC.Level, r.AUC.Lower, r.AUC.Upper), `font-size="12"`)
	s.printf(`<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#999999" stroke-dasharray="6 4"/>`, lx+8, ly+37, lx+32, ly+37)
	s.text(lx+38, ly+41, "start", "guessing: AUC 0.5", `font-size="12"`)
	return s.String()
}

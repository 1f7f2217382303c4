package main

import (
	"fmt"
	"strings"
)

// svg writes an SVG document as text: the pictures need nothing beyond
// rectangles, lines, a polyline and text.
type svg struct{ b strings.Builder }

// newSVG starts a document of the given size in pixels, on white.
func newSVG(width, height int) *svg {
	s := &svg{}
	s.printf(`<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
		`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="Helvetica, Arial, sans-serif" font-size="13">`+"\n",
		width, height, width, height)
	s.printf(`<rect width="100%%" height="100%%" fill="#ffffff"/>`)
	return s
}

func (s *svg) printf(format string, args ...any) {
	fmt.Fprintf(&s.b, format, args...)
	if !strings.HasSuffix(format, "\n") {
		s.b.WriteByte('\n')
	}
}

// text writes a label at (x, y); anchor is start, middle or end, and
// attrs any further attributes (such as a colour or a rotation).
func (s *svg) text(x, y float64, anchor, content string, attrs ...string) {
	extra := ""
	if len(attrs) > 0 {
		extra = " " + strings.Join(attrs, " ")
	}
	s.printf(`<text x="%.1f" y="%.1f" text-anchor="%s"%s>%s</text>`, x, y, anchor, extra, esc(content))
}

// String ends the document and returns it.
func (s *svg) String() string { return s.b.String() + "</svg>\n" }

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

// esc escapes text for XML content and attribute values.
func esc(s string) string { return escaper.Replace(s) }

// shade returns the colour of a share in [0, 1] on a white-to-blue ramp,
// and whether text on it should be white to stay legible.
func shade(share float64) (fill string, light bool) {
	share = min(max(share, 0), 1)
	from, to := [3]float64{247, 251, 255}, [3]float64{8, 48, 107}
	var c [3]int
	for i := range c {
		c[i] = int(from[i] + (to[i]-from[i])*share + 0.5)
	}
	return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2]), share > 0.5
}

package testimages

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/gomonobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Font is one of the Go fonts.
type Font int

// The fonts Render can draw with.
const (
	Regular  Font = iota // Go Regular, proportional sans-serif
	Bold                 // Go Bold
	Italic               // Go Italic
	Mono                 // Go Mono, fixed width
	MonoBold             // Go Mono Bold
)

// ttf returns the font's TrueType data.
func (f Font) ttf() []byte {
	switch f {
	case Bold:
		return gobold.TTF
	case Italic:
		return goitalic.TTF
	case Mono:
		return gomono.TTF
	case MonoBold:
		return gomonobold.TTF
	}
	return goregular.TTF
}

// bold returns the bold variant used for headings.
func (f Font) bold() Font {
	if f == Mono || f == MonoBold {
		return MonoBold
	}
	return Bold
}

// String names the font.
func (f Font) String() string {
	switch f {
	case Regular:
		return "Go Regular"
	case Bold:
		return "Go Bold"
	case Italic:
		return "Go Italic"
	case Mono:
		return "Go Mono"
	case MonoBold:
		return "Go Mono Bold"
	}
	return fmt.Sprintf("Font(%d)", int(f))
}

// Options control Render's layout. Zero values take the defaults.
type Options struct {
	// Font is the body font (default Regular). Headings use its bold
	// variant.
	Font Font
	// Size is the font size in points (default 12).
	Size float64
	// DPI is the resolution the points are converted at (default 200, so
	// 12 pt text is about 33 pixels from line to line).
	DPI float64
	// LineSpacing is the distance between baselines as a multiple of the
	// font's line height (default 1.25).
	LineSpacing float64
	// Margin is the white border in pixels (default: the line height).
	Margin int
	// Width is the image width in pixels. 0 fits the widest line; a width
	// narrower than the text is widened to fit it.
	Width int
	// HeadingScale is a heading's size relative to Size (default 1.5).
	HeadingScale float64
}

func (o Options) withDefaults() Options {
	if o.Size <= 0 {
		o.Size = 12
	}
	if o.DPI <= 0 {
		o.DPI = 200
	}
	if o.LineSpacing <= 0 {
		o.LineSpacing = 1.25
	}
	if o.HeadingScale <= 0 {
		o.HeadingScale = 1.5
	}
	if o.Font < Regular || o.Font > MonoBold {
		o.Font = Regular
	}
	return o
}

// faces holds the two faces a page is drawn with.
type faces struct {
	body, heading font.Face
}

func newFaces(o Options) (faces, error) {
	body, err := newFace(o.Font, o.Size, o.DPI)
	if err != nil {
		return faces{}, err
	}
	heading, err := newFace(o.Font.bold(), o.Size*o.HeadingScale, o.DPI)
	if err != nil {
		body.Close()
		return faces{}, err
	}
	return faces{body, heading}, nil
}

func (f faces) close() {
	f.body.Close()
	f.heading.Close()
}

func newFace(f Font, size, dpi float64) (font.Face, error) {
	parsed, err := opentype.Parse(f.ttf())
	if err != nil {
		return nil, fmt.Errorf("testimages: parse %v: %w", f, err)
	}
	return opentype.NewFace(parsed, &opentype.FaceOptions{Size: size, DPI: dpi, Hinting: font.HintingFull})
}

// layoutLine is one line ready to draw.
type layoutLine struct {
	face         font.Face
	left, right  string // right is right-aligned; empty for most lines
	ascent, step int    // pixels above the baseline; baseline to baseline
	width        int    // minimum width of the text, without margins
}

// HeadingPrefix marks a heading line for Render.
const HeadingPrefix = "# "

// Render draws lines of black text on a white page and returns it.
//
// An empty line leaves a blank line. A line starting with HeadingPrefix
// ("# ") is a heading, drawn in the bold font at Options.HeadingScale times
// the size, without the prefix. In a line holding a tab, the text after
// the last tab is right-aligned at the right margin (a column of amounts);
// the text before it starts at the left margin. Characters the font lacks
// are drawn as the font's missing-glyph box.
func Render(lines []string, opts Options) *image.Gray {
	o := opts.withDefaults()
	fs, err := newFaces(o)
	if err != nil {
		// The Go fonts are compiled in: failing to parse them is a bug in
		// x/image, not a condition callers can handle.
		panic(err)
	}
	defer fs.close()

	bodyStep := lineStep(fs.body, o.LineSpacing)
	margin := o.Margin
	if margin <= 0 {
		margin = bodyStep
	}
	gap := font.MeasureString(fs.body, "    ").Ceil()

	laid := make([]layoutLine, len(lines))
	height, width := 0, 0
	for i, s := range lines {
		l := layoutLine{face: fs.body}
		if rest, ok := strings.CutPrefix(s, HeadingPrefix); ok {
			l.face, s = fs.heading, rest
		}
		if j := strings.LastIndexByte(s, '\t'); j >= 0 {
			l.left, l.right = strings.ReplaceAll(s[:j], "\t", " "), s[j+1:]
		} else {
			l.left = s
		}
		l.ascent = l.face.Metrics().Ascent.Ceil()
		l.step = lineStep(l.face, o.LineSpacing)
		l.width = font.MeasureString(l.face, l.left).Ceil()
		if l.right != "" {
			l.width += gap + font.MeasureString(l.face, l.right).Ceil()
		}
		width = max(width, l.width)
		height += l.step
		laid[i] = l
	}

	w := max(o.Width, width+2*margin)
	h := height + 2*margin
	img := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)

	y := margin
	for _, l := range laid {
		base := y + l.ascent
		d := font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: l.face}
		d.Dot = fixed.P(margin, base)
		d.DrawString(l.left)
		if l.right != "" {
			rw := font.MeasureString(l.face, l.right)
			d.Dot = fixed.Point26_6{X: fixed.I(w-margin) - rw, Y: fixed.I(base)}
			d.DrawString(l.right)
		}
		y += l.step
	}
	return img
}

// lineStep returns the distance between baselines, in pixels.
func lineStep(f font.Face, spacing float64) int {
	m := f.Metrics()
	return int(math.Ceil(float64(m.Height) / 64 * spacing))
}

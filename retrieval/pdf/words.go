package pdf

import (
	"image"
	"math"
	"strings"
	"unicode"

	"github.com/klippa-app/go-pdfium/responses"

	"github.com/chorus-go/chorus/llm"
)

// wordsFromChars groups a text layer's characters into words: a word ends
// at white space or a line break (PDFium inserts "\r\n" between lines).
// Boxes are turned from page space (points, origin bottom left) into
// pixels of the rendered page by toDevice.
// It also returns the number of non-space characters.
func wordsFromChars(chars []*responses.GetPageTextStructuredChar, toDevice func(x, y float64) image.Point) ([]llm.Word, int) {
	var (
		words  []llm.Word
		cur    strings.Builder
		box    image.Rectangle
		line   = 1
		nchars int
		inWord bool
	)
	flush := func() {
		if inWord {
			words = append(words, llm.Word{Text: cur.String(), Box: box, Confidence: 1, Block: 1, Paragraph: 1, Line: line})
		}
		cur.Reset()
		inWord = false
	}
	for _, c := range chars {
		if c == nil {
			continue
		}
		rs := []rune(c.Text)
		if len(rs) == 0 {
			flush()
			continue
		}
		if rs[0] == '\n' {
			flush()
			line++
			continue
		}
		if unicode.IsSpace(rs[0]) || !unicode.IsPrint(rs[0]) {
			flush()
			continue
		}
		pos := c.PointPosition
		r := image.Rectangle{Min: toDevice(pos.Left, pos.Top), Max: toDevice(pos.Right, pos.Bottom)}.Canon()
		if inWord {
			box = box.Union(r)
		} else {
			box, inWord = r, true
		}
		cur.WriteString(c.Text)
		nchars++
	}
	flush()
	return words, nchars
}

// flipY maps page space to pixels at scale pixels per point for an
// unrotated page pageHeight points high whose MediaBox starts at 0, 0.
func flipY(pageHeight, scale float64) func(x, y float64) image.Point {
	return func(x, y float64) image.Point {
		return image.Pt(int(math.Round(x*scale)), int(math.Round((pageHeight-y)*scale)))
	}
}

// textOf joins words: spaces within a line, newlines between lines.
func textOf(words []llm.Word) string {
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			if w.Line != words[i-1].Line {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(w.Text)
	}
	return b.String()
}

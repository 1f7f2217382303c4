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
// Boxes are turned from points (origin bottom left) into pixels at scale
// pixels per point (origin top left) for a page pageHeight points high.
// It also returns the number of non-space characters.
func wordsFromChars(chars []*responses.GetPageTextStructuredChar, pageHeight, scale float64) ([]llm.Word, int) {
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
		r := image.Rect(
			int(math.Floor(pos.Left*scale)), int(math.Floor((pageHeight-pos.Top)*scale)),
			int(math.Ceil(pos.Right*scale)), int(math.Ceil((pageHeight-pos.Bottom)*scale)),
		)
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

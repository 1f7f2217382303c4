package tesseract

import (
	"bytes"
	"fmt"
	"image"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/chorus-go/chorus/llm"
)

// The TSV columns ParseTSV needs. word_num is not needed: the row order
// is the reading order.
var tsvColumns = [...]string{"level", "page_num", "block_num", "par_num", "line_num", "left", "top", "width", "height", "conf", "text"}

const (
	colLevel = iota
	colPage
	colBlock
	colPar
	colLine
	colLeft
	colTop
	colWidth
	colHeight
	colConf
	colText
)

// wordLevel is the TSV level of word rows (1 page, 2 block, 3 paragraph,
// 4 line, 5 word).
const wordLevel = 5

// maxCoord bounds coordinates and sizes, so that boxes cannot overflow.
const maxCoord = 1 << 24

// ParseTSV parses the output of `tesseract ... tsv` into an OCR result:
// the words in reading order with their boxes, confidences scaled from
// 0-100 to [0, 1], and block, paragraph and line numbers; the text
// rebuilt from the words (words separated by spaces, lines by a newline,
// paragraphs and blocks by a blank line); and the mean word confidence.
//
// Rows other than words (levels 1-4) and words with blank text are
// skipped. Columns are found by the header's names, so added columns do
// no harm. Malformed input is an error matching ErrBadTSV, never a panic.
func ParseTSV(data []byte) (llm.OCRResult, error) {
	var res llm.OCRResult
	lines := bytes.Split(data, []byte{'\n'})
	idx, n := [len(tsvColumns)]int{}, 0
	header := true
	type pos struct{ page, block, par, line int }
	var prev pos
	var confSum float64
	var text strings.Builder

	for i, raw := range lines {
		row := string(bytes.TrimSuffix(raw, []byte{'\r'}))
		if strings.TrimSpace(row) == "" {
			continue
		}
		fields := strings.Split(row, "\t")
		if header {
			var err error
			idx, err = parseHeader(fields)
			if err != nil {
				return llm.OCRResult{}, fmt.Errorf("%w: line %d: %v", ErrBadTSV, i+1, err)
			}
			n = len(fields)
			header = false
			continue
		}
		if len(fields) < n {
			return llm.OCRResult{}, fmt.Errorf("%w: line %d has %d fields, want %d", ErrBadTSV, i+1, len(fields), n)
		}
		level, err := strconv.Atoi(fields[idx[colLevel]])
		if err != nil {
			return llm.OCRResult{}, fmt.Errorf("%w: line %d: level %q is not a number", ErrBadTSV, i+1, fields[idx[colLevel]])
		}
		if level != wordLevel {
			continue
		}
		word := fields[idx[colText]]
		if idx[colText] == n-1 && len(fields) > n {
			word = strings.Join(fields[n-1:], "\t") // a tab inside the text
		}
		word = strings.TrimSpace(word)
		if word == "" {
			continue
		}
		if !utf8.ValidString(word) {
			word = strings.ToValidUTF8(word, "\uFFFD")
		}
		var v [colConf]int // page .. height, by column constant
		for c := colPage; c < colConf; c++ {
			v[c], err = parseCoord(fields[idx[c]], c >= colWidth)
			if err != nil {
				return llm.OCRResult{}, fmt.Errorf("%w: line %d: %s: %v", ErrBadTSV, i+1, tsvColumns[c], err)
			}
		}
		conf, err := strconv.ParseFloat(strings.TrimSpace(fields[idx[colConf]]), 64)
		if err != nil {
			return llm.OCRResult{}, fmt.Errorf("%w: line %d: conf %q is not a number", ErrBadTSV, i+1, fields[idx[colConf]])
		}

		p := pos{v[colPage], v[colBlock], v[colPar], v[colLine]}
		if len(res.Words) > 0 {
			switch {
			case p.page != prev.page || p.block != prev.block || p.par != prev.par:
				text.WriteString("\n\n")
			case p.line != prev.line:
				text.WriteByte('\n')
			default:
				text.WriteByte(' ')
			}
		}
		text.WriteString(word)
		prev = p

		w := llm.Word{
			Text:       word,
			Box:        image.Rect(v[colLeft], v[colTop], v[colLeft]+v[colWidth], v[colTop]+v[colHeight]),
			Confidence: scaleConf(conf),
			Block:      p.block,
			Paragraph:  p.par,
			Line:       p.line,
		}
		confSum += w.Confidence
		res.Words = append(res.Words, w)
	}
	if header && len(bytes.TrimSpace(data)) > 0 {
		return llm.OCRResult{}, fmt.Errorf("%w: no header", ErrBadTSV)
	}
	res.Text = text.String()
	if len(res.Words) > 0 {
		res.Confidence = confSum / float64(len(res.Words))
	}
	return res, nil
}

// parseHeader finds the needed columns in the header row.
func parseHeader(fields []string) ([len(tsvColumns)]int, error) {
	var idx [len(tsvColumns)]int
	for c := range idx {
		idx[c] = -1
	}
	for i, f := range fields {
		f = strings.TrimSpace(f)
		for c, name := range tsvColumns {
			if f == name && idx[c] < 0 {
				idx[c] = i
			}
		}
	}
	for c, i := range idx {
		if i < 0 {
			return idx, fmt.Errorf("header lacks column %q", tsvColumns[c])
		}
	}
	return idx, nil
}

// parseCoord parses a page, block, paragraph or line number, a coordinate
// or a size, refusing values that could overflow a box.
func parseCoord(s string, size bool) (int, error) {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if v > maxCoord || v < -maxCoord || (size && v < 0) {
		return 0, fmt.Errorf("%d is out of range", v)
	}
	return v, nil
}

// scaleConf turns tesseract's 0-100 confidence (-1 when it has none) into
// [0, 1].
func scaleConf(c float64) float64 {
	switch {
	case math.IsNaN(c) || c <= 0:
		return 0
	case c >= 100:
		return 1
	}
	return c / 100
}

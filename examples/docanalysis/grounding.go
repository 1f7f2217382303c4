package main

import (
	"image"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chorus-go/chorus/llm"
)

// Grounding: a value extracted from a document is kept only when the
// document says it. The document's text is cut into tokens (the OCR
// engine's words, with their boxes and confidences, or the words of a
// .txt file); a value is found when a run of consecutive tokens says the
// same, after normalising case, whitespace and punctuation ("acme
// widgets ltd" is "Acme Widgets Ltd,"), numbers ("1234.5" is
// "1,234.50") and dates ("2026-03-14" is "14 March 2026" and
// "14/03/2026").

// minGroundKey is the fewest letters and digits a value found as text
// must have: a value of one character ("x") is found in most documents by
// chance, so it is never taken as found.
const minGroundKey = 2

// maxDateTokens and maxNumberTokens bound the runs of tokens read as one
// date ("January 2, 2006") or one amount ("1 234,50").
const (
	maxDateTokens   = 4
	maxNumberTokens = 2
)

// token is a word of the document: its place in the text (bytes), its
// comparison key (lowercase letters and digits), and the OCR word it is,
// if any.
type token struct {
	start, end int
	key        string
	clean      string // the word without the punctuation around it
	word       int    // index into groundDoc.words, or -1
}

// groundDoc is a document prepared for grounding.
type groundDoc struct {
	text   string
	words  []llm.Word
	tokens []token
	// pages is where each page starts in text (none: one page).
	pages []pageStart
}

// newGroundDoc cuts text into tokens: the OCR words when there are some
// (each placed in the text, in order), else the text's whitespace-separated
// words.
func newGroundDoc(text string, words []llm.Word) *groundDoc {
	d := &groundDoc{text: text, words: words}
	if len(words) > 0 {
		at := 0
		for i, w := range words {
			j := strings.Index(text[at:], w.Text)
			if j < 0 || w.Text == "" {
				continue
			}
			d.add(at+j, at+j+len(w.Text), i)
			at += j + len(w.Text)
		}
		return d
	}
	start := -1
	for i, r := range text {
		switch {
		case unicode.IsSpace(r) && start >= 0:
			d.add(start, i, -1)
			start = -1
		case !unicode.IsSpace(r) && start < 0:
			start = i
		}
	}
	if start >= 0 {
		d.add(start, len(text), -1)
	}
	return d
}

func (d *groundDoc) add(start, end, word int) {
	s := d.text[start:end]
	d.tokens = append(d.tokens, token{start: start, end: end, key: groundKey(s), clean: trimPunct(s), word: word})
}

// groundKey is what text is compared by: its letters and digits,
// lowercased.
func groundKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// trimPunct drops the punctuation around a word ("(1", "2026,").
func trimPunct(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// span is a run of tokens, [from, to).
type span struct{ from, to int }

// Why a value was not found.
const (
	reasonNotFound = "not found in the document"
	reasonTooShort = "too short to be checked against the document"
)

// find looks value up in the document: as a date, an amount, a currency
// code given as its sign, or text. It returns the first run of tokens
// that says it, or why there is none.
func (d *groundDoc) find(value string) (span, string) {
	value = strings.TrimSpace(value)
	if iso := normalizeDate(value); isISODate(iso) {
		if s, ok := d.findDate(iso); ok {
			return s, ""
		}
	}
	if cents, ok := numberValue(value); ok {
		if s, ok := d.findNumber(cents); ok {
			return s, ""
		}
	}
	if s, ok := d.findCurrency(value); ok {
		return s, ""
	}
	key := groundKey(value)
	if len(key) < minGroundKey {
		return span{}, reasonTooShort
	}
	if s, ok := d.findKey(key); ok {
		return s, ""
	}
	return span{}, reasonNotFound
}

// findKey finds the first run of tokens whose keys, joined, are key.
func (d *groundDoc) findKey(key string) (span, bool) {
	for i := range d.tokens {
		acc := ""
		for j := i; j < len(d.tokens); j++ {
			acc += d.tokens[j].key
			if acc == key && d.tokens[i].key != "" && d.tokens[j].key != "" {
				return span{i, j + 1}, true
			}
			if len(acc) >= len(key) || !strings.HasPrefix(key, acc) {
				break
			}
		}
	}
	return span{}, false
}

var isoDateRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func isISODate(s string) bool { return isoDateRe.MatchString(s) }

// findDate finds the first run of up to maxDateTokens tokens that is the
// date iso (YYYY-MM-DD) in any layout normalizeDate reads.
func (d *groundDoc) findDate(iso string) (span, bool) {
	for i := range d.tokens {
		// every date layout has a digit (its day or year): a run of
		// tokens without one is no date, and normalizeDate, which tries
		// every layout, need not look at it
		end := min(i+maxDateTokens, len(d.tokens))
		if !slices.ContainsFunc(d.tokens[i:end], func(t token) bool { return strings.ContainsAny(t.clean, "0123456789") }) {
			continue
		}
		var parts []string
		for j := i; j < end; j++ {
			parts = append(parts, d.tokens[j].clean)
			if normalizeDate(strings.Join(parts, " ")) == iso {
				return span{i, j + 1}, true
			}
		}
	}
	return span{}, false
}

// numberRe is a number as documents print it: digit groups separated by
// single commas, points, apostrophes or spaces, maybe with a sign.
var numberRe = regexp.MustCompile(`^-?\d+(?:[,.' ]\d+)*$`)

// numberValue reads value as an amount in hundredths when it is one,
// perhaps with a currency sign or code ("€1,234.50", "1234.5 EUR").
func numberValue(value string) (int64, bool) {
	v := strings.TrimSpace(value)
	for sym := range symbols {
		v = strings.ReplaceAll(v, sym, "")
	}
	v = strings.TrimSpace(isoCode.ReplaceAllString(strings.TrimSpace(v), ""))
	if !numberRe.MatchString(v) {
		return 0, false
	}
	return parseCents(v)
}

// findNumber finds the first token, or pair of tokens split inside the
// number ("1 234,50"), that is the amount cents.
func (d *groundDoc) findNumber(cents int64) (span, bool) {
	for i := range d.tokens {
		num := ""
		for j := i; j < min(i+maxNumberTokens, len(d.tokens)); j++ {
			part := strings.TrimLeft(d.tokens[j].clean, "€$£")
			if j > i && !thousands.MatchString(part) {
				break
			}
			num += part
			if !numberRe.MatchString(num) {
				break
			}
			if c, ok := parseCents(num); ok && c == cents {
				return span{i, j + 1}, true
			}
		}
	}
	return span{}, false
}

// thousands is the rest of a number after a space: three digits, maybe
// decimals.
var thousands = regexp.MustCompile(`^\d{3}(?:[.,]\d{1,2})?$`)

// findCurrency finds an ISO currency code given by its sign ("EUR" by
// "€").
func (d *groundDoc) findCurrency(value string) (span, bool) {
	for sym, code := range symbols {
		if !strings.EqualFold(strings.TrimSpace(value), code) {
			continue
		}
		for i, t := range d.tokens {
			if strings.Contains(d.text[t.start:t.end], sym) {
				return span{i, i + 1}, true
			}
		}
	}
	return span{}, false
}

// Box is a rectangle in image pixels: from (X0, Y0), top left, to
// (X1, Y1), exclusive.
type Box struct {
	X0 int `json:"x0"`
	Y0 int `json:"y0"`
	X1 int `json:"x1"`
	Y1 int `json:"y1"`
}

func boxOf(r image.Rectangle) *Box { return &Box{r.Min.X, r.Min.Y, r.Max.X, r.Max.Y} }

// SourceWord is a word a value came from: its text, its place in the
// document's text (characters, End exclusive), and for a scan its box
// and the OCR engine's confidence.
type SourceWord struct {
	Text       string  `json:"text"`
	Start      int     `json:"start"`
	End        int     `json:"end"`
	Box        *Box    `json:"box,omitempty"`
	Confidence float64 `json:"confidence,omitempty"`
}

// source describes a run of tokens: its words, and its place in the
// text in characters.
func (d *groundDoc) source(s span) (words []SourceWord, start, end int, conf float64) {
	start = utf8.RuneCountInString(d.text[:d.tokens[s.from].start])
	end = start + utf8.RuneCountInString(d.text[d.tokens[s.from].start:d.tokens[s.to-1].end])
	conf = 1.0
	for _, t := range d.tokens[s.from:s.to] {
		w := SourceWord{Text: d.text[t.start:t.end], Start: utf8.RuneCountInString(d.text[:t.start])}
		w.End = w.Start + utf8.RuneCountInString(w.Text)
		if t.word >= 0 {
			ow := d.words[t.word]
			w.Box, w.Confidence = boxOf(ow.Box), ow.Confidence
			conf = min(conf, ow.Confidence)
		}
		words = append(words, w)
	}
	if len(d.words) == 0 {
		conf = 0
	}
	return words, start, end, conf
}

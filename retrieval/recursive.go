package retrieval

import (
	"strings"
	"unicode/utf8"
)

// RecursiveSplitter cuts text into chunks of at most size units (characters
// by default; see Counter), each starting with up to overlap units of the
// end of the previous chunk, so that a sentence cut in two is still whole
// in one of them. It cuts at the coarsest separator it can (see
// Separators): paragraphs before lines, lines before sentences, and so on
// down to characters. Chunks are trimmed of surrounding white space;
// separators stay with the text before them.
type RecursiveSplitter struct {
	size, overlap int
	cfg           splitConfig
}

// NewRecursiveSplitter returns a splitter of chunks of at most size units
// overlapping by up to overlap units. It fails (with an error matching
// chain.ErrConfig) unless 1 <= size and 0 <= overlap < size, or on an
// invalid option.
func NewRecursiveSplitter(size, overlap int, opts ...SplitterOption) (*RecursiveSplitter, error) {
	cfg, err := newSplitConfig("NewRecursiveSplitter", size, overlap, opts)
	if err != nil {
		return nil, err
	}
	return &RecursiveSplitter{size: size, overlap: overlap, cfg: cfg}, nil
}

// MustRecursiveSplitter is NewRecursiveSplitter that panics with its error
// instead of returning it.
func MustRecursiveSplitter(size, overlap int, opts ...SplitterOption) *RecursiveSplitter {
	return must(NewRecursiveSplitter(size, overlap, opts...))
}

// Split cuts doc into chunks (see Splitter).
func (s *RecursiveSplitter) Split(doc Document) []Document {
	texts := s.SplitText(doc.Text)
	out := make([]Document, len(texts))
	for i, t := range texts {
		out[i] = chunkDoc(doc, i, t, nil)
	}
	return out
}

// SplitText cuts text into chunks. Blank text gives none.
func (s *RecursiveSplitter) SplitText(text string) []string {
	var out []string
	for _, c := range s.split(text, s.cfg.separators) {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// split cuts text at the first separator it contains, recursing into the
// pieces that are still too large, and merges small pieces into chunks.
func (s *RecursiveSplitter) split(text string, seps []string) []string {
	sep, rest := "", []string(nil)
	found := false
	for i, sp := range seps {
		if sp == "" || strings.Contains(text, sp) {
			sep, rest, found = sp, seps[i+1:], true
			break
		}
	}
	if !found { // no separator applies: the text stays whole
		return []string{text}
	}
	var (
		chunks []string
		small  []piece
	)
	for _, p := range cut(text, sep) {
		n := s.cfg.counter.CountTokens(p)
		if n <= s.size {
			small = append(small, piece{p, n})
			continue
		}
		chunks = append(chunks, s.merge(small)...)
		small = small[:0]
		if len(rest) == 0 {
			chunks = append(chunks, p) // nothing finer to cut at
			continue
		}
		chunks = append(chunks, s.split(p, rest)...)
	}
	return append(chunks, s.merge(small)...)
}

type piece struct {
	text string
	n    int
}

// merge joins consecutive pieces into chunks of at most size units, each
// starting with the last pieces of the previous chunk up to overlap units.
func (s *RecursiveSplitter) merge(pieces []piece) []string {
	var (
		out    []string
		window []piece
		total  int
	)
	emit := func() {
		var b strings.Builder
		for _, p := range window {
			b.WriteString(p.text)
		}
		if strings.TrimSpace(b.String()) != "" {
			out = append(out, b.String())
		}
	}
	for _, p := range pieces {
		if total+p.n > s.size && len(window) > 0 {
			emit()
			// keep the tail as overlap, and make room for p
			for len(window) > 0 && (total > s.overlap || total+p.n > s.size) {
				total -= window[0].n
				window = window[1:]
			}
		}
		window = append(window, p)
		total += p.n
	}
	if len(window) > 0 {
		emit()
	}
	return out
}

// cut splits text after each sep, keeping sep with the piece before it; an
// empty sep cuts between characters.
func cut(text, sep string) []string {
	if sep == "" {
		out := make([]string, 0, utf8.RuneCountInString(text))
		for len(text) > 0 {
			_, n := utf8.DecodeRuneInString(text)
			out = append(out, text[:n])
			text = text[n:]
		}
		return out
	}
	return strings.SplitAfter(text, sep)
}

package retrieval

import (
	"regexp"
	"slices"
	"strings"
)

// MarkdownSplitter cuts Markdown at its headings first, so that a chunk
// never straddles two sections, and records each chunk's heading path
// (outermost first) under MetaHeadings. A section larger than the size is
// cut further by a RecursiveSplitter with the same size, overlap and
// options. ATX headings ("## Title") and setext headings (a line
// underlined with === or ---) are recognised; lines inside fenced code
// blocks are never headings. A section's text starts with its heading
// line; a heading with nothing under it gives no chunk of its own.
type MarkdownSplitter struct {
	inner *RecursiveSplitter
}

// NewMarkdownSplitter returns a Markdown splitter of chunks of at most
// size units overlapping by up to overlap units (see RecursiveSplitter).
// It fails (with an error matching chain.ErrConfig) unless 1 <= size and
// 0 <= overlap < size, or on an invalid option.
func NewMarkdownSplitter(size, overlap int, opts ...SplitterOption) (*MarkdownSplitter, error) {
	cfg, err := newSplitConfig("NewMarkdownSplitter", size, overlap, opts)
	if err != nil {
		return nil, err
	}
	return &MarkdownSplitter{inner: &RecursiveSplitter{size: size, overlap: overlap, cfg: cfg}}, nil
}

// MustMarkdownSplitter is NewMarkdownSplitter that panics with its error
// instead of returning it.
func MustMarkdownSplitter(size, overlap int, opts ...SplitterOption) *MarkdownSplitter {
	return must(NewMarkdownSplitter(size, overlap, opts...))
}

// Split cuts doc into chunks (see Splitter), adding MetaHeadings to the
// metadata of chunks under a heading.
func (s *MarkdownSplitter) Split(doc Document) []Document {
	var out []Document
	for _, sec := range MarkdownSections(doc.Text) {
		var extra map[string]any
		if len(sec.Headings) > 0 {
			extra = map[string]any{MetaHeadings: slices.Clone(sec.Headings)}
		}
		texts := []string{strings.TrimSpace(sec.Text)}
		if s.inner.cfg.counter.CountTokens(texts[0]) > s.inner.size {
			texts = s.inner.SplitText(sec.Text)
		}
		for _, t := range texts {
			out = append(out, chunkDoc(doc, len(out), t, extra))
		}
	}
	return out
}

// Section is a part of a Markdown text under one heading: the heading path
// (outermost first; empty before the first heading) and the text,
// starting with the heading line.
type Section struct {
	Headings []string
	Text     string
}

var (
	atxHeading = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*\r?\n?$`)
	setextH1   = regexp.MustCompile(`^ {0,3}=+[ \t]*\r?\n?$`)
	setextH2   = regexp.MustCompile(`^ {0,3}-+[ \t]*\r?\n?$`)
	fenceOpen  = regexp.MustCompile("^ {0,3}(`{3,}|~{3,})")
)

// MarkdownSections cuts Markdown text at its headings. Sections with no
// text besides their heading are left out.
func MarkdownSections(text string) []Section {
	type heading struct {
		level int
		text  string
	}
	var (
		out   []Section
		stack []heading
		cur   []string // lines of the current section
		fence string   // the open code fence, if any
	)
	path := func() []string {
		p := make([]string, len(stack))
		for i, h := range stack {
			p[i] = h.text
		}
		return p
	}
	flush := func(headingLines int) {
		body := strings.Join(cur[min(headingLines, len(cur)):], "")
		if strings.TrimSpace(body) != "" {
			out = append(out, Section{Headings: path(), Text: strings.Join(cur, "")})
		}
		cur = cur[:0]
	}
	headingLines := 0 // lines at the start of cur that are its heading
	open := func(level int, title string, lines ...string) {
		flush(headingLines)
		for len(stack) > 0 && stack[len(stack)-1].level >= level {
			stack = stack[:len(stack)-1]
		}
		stack = append(stack, heading{level, strings.TrimSpace(title)})
		cur = append(cur, lines...)
		headingLines = len(lines)
	}
	for _, line := range strings.SplitAfter(text, "\n") {
		if line == "" {
			continue
		}
		if fence != "" {
			cur = append(cur, line)
			if t := strings.TrimLeft(line, " "); strings.HasPrefix(t, fence) && strings.Trim(strings.TrimSpace(t), fence[:1]) == "" {
				fence = ""
			}
			continue
		}
		if m := fenceOpen.FindStringSubmatch(line); m != nil {
			fence = m[1]
			cur = append(cur, line)
			continue
		}
		if m := atxHeading.FindStringSubmatch(line); m != nil {
			open(len(m[1]), m[2], line)
			continue
		}
		if n := len(cur); n > headingLines && strings.TrimSpace(cur[n-1]) != "" &&
			(n-1 == headingLines || strings.TrimSpace(cur[n-2]) == "") &&
			!atxHeading.MatchString(cur[n-1]) {
			level := 0
			if setextH1.MatchString(line) {
				level = 1
			} else if setextH2.MatchString(line) {
				level = 2
			}
			if level > 0 {
				title := cur[n-1]
				cur = cur[:n-1]
				open(level, title, title, line)
				continue
			}
		}
		cur = append(cur, line)
	}
	flush(headingLines)
	return out
}

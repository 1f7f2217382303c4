package retrieval

import (
	"errors"
	"fmt"
	"maps"

	"github.com/chorus-go/chorus/llm"
)

// Metadata keys the splitters set on chunks.
const (
	// MetaParentID is the ID of the document a chunk was cut from.
	MetaParentID = "parent_id"
	// MetaChunk is a chunk's position in its document, from 0.
	MetaChunk = "chunk"
	// MetaHeadings is a Markdown chunk's heading path, outermost first
	// (a []string; []any after a round trip through a store).
	MetaHeadings = "headings"
)

// Splitter cuts a document into chunks small enough to embed and to put in
// a prompt. Chunks are documents: ID "<parent ID>#<n>", the parent's
// metadata plus MetaParentID and MetaChunk (and whatever the splitter
// adds), no embedding. Splitters must be safe for concurrent use.
type Splitter interface {
	Split(doc Document) []Document
}

// SplitAll splits every document and returns all the chunks in order.
func SplitAll(s Splitter, docs []Document) []Document {
	var out []Document
	for _, d := range docs {
		out = append(out, s.Split(d)...)
	}
	return out
}

// chunkDoc makes chunk n of parent.
func chunkDoc(parent Document, n int, text string, extra map[string]any) Document {
	md := make(map[string]any, len(parent.Metadata)+2+len(extra))
	maps.Copy(md, parent.Metadata)
	maps.Copy(md, extra)
	md[MetaParentID] = parent.ID
	md[MetaChunk] = n
	return Document{ID: fmt.Sprintf("%s#%d", parent.ID, n), Text: text, Metadata: md}
}

// SplitterOption configures RecursiveSplitter and MarkdownSplitter.
type SplitterOption func(*splitConfig)

type splitConfig struct {
	counter    llm.TokenCounter
	separators []string
	errs       []error
}

func (c *splitConfig) fail(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf(format, args...))
}

// newSplitConfig applies the options; an invalid one is an error of the
// constructor fn, matching chain.ErrConfig.
func newSplitConfig(fn string, size, overlap int, opts []SplitterOption) (splitConfig, error) {
	cfg := splitConfig{counter: llm.CharCounter(), separators: DefaultSeparators()}
	if size < 1 {
		cfg.fail("size must be at least 1, got %d", size)
	}
	if overlap < 0 || overlap >= max(size, 1) {
		cfg.fail("overlap must be in [0, size), got %d with size %d", overlap, size)
	}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if len(cfg.errs) > 0 {
		return cfg, configError(fn, "%v", errors.Join(cfg.errs...))
	}
	return cfg, nil
}

// CountWith sets the unit of size and overlap: llm.CharCounter (the
// default), llm.ApproxTokens, or a model's tokenizer in an
// llm.TokenCounterFunc. A nil counter makes the constructor fail.
func CountWith(c llm.TokenCounter) SplitterOption {
	return func(cfg *splitConfig) {
		if c == nil {
			cfg.fail("CountWith: nil counter")
			return
		}
		cfg.counter = c
	}
}

// Separators sets the separators RecursiveSplitter tries, coarsest first.
// The text is cut at the first separator it contains; pieces still too
// large are cut at the next ones. An empty string as the last separator
// cuts between characters, so that every chunk fits; without it, a piece
// with none of the separators may exceed the size.
//
// No separators make the constructor fail.
func Separators(seps ...string) SplitterOption {
	s := append([]string(nil), seps...)
	return func(cfg *splitConfig) {
		if len(s) == 0 {
			cfg.fail("Separators: no separators")
			return
		}
		cfg.separators = s
	}
}

// DefaultSeparators are RecursiveSplitter's separators: paragraphs, lines,
// sentences (also in Chinese and Japanese punctuation), clauses, words,
// characters.
func DefaultSeparators() []string {
	return []string{"\n\n", "\n", ". ", "! ", "? ", "。", "！", "？", "; ", "；", ", ", "，", " ", ""}
}

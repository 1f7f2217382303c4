package retrieval

import (
	"fmt"
	"maps"
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
	counter    TokenCounter
	separators []string
}

// Counter sets the unit of size and overlap (default CharCounter).
func Counter(c TokenCounter) SplitterOption {
	if c == nil {
		configPanic("Counter", "nil TokenCounter")
	}
	return func(cfg *splitConfig) { cfg.counter = c }
}

// Separators sets the separators RecursiveSplitter tries, coarsest first.
// The text is cut at the first separator it contains; pieces still too
// large are cut at the next ones. An empty string as the last separator
// cuts between characters, so that every chunk fits; without it, a piece
// with none of the separators may exceed the size.
func Separators(seps ...string) SplitterOption {
	if len(seps) == 0 {
		configPanic("Separators", "no separators")
	}
	s := append([]string(nil), seps...)
	return func(cfg *splitConfig) { cfg.separators = s }
}

// DefaultSeparators are RecursiveSplitter's separators: paragraphs, lines,
// sentences (also in Chinese and Japanese punctuation), clauses, words,
// characters.
func DefaultSeparators() []string {
	return []string{"\n\n", "\n", ". ", "! ", "? ", "。", "！", "？", "; ", "；", ", ", "，", " ", ""}
}

package loader

import (
	"context"
	"io"
	"strings"

	"github.com/chorus-go/chorus/retrieval"
)

// Text loads a plain text file as one document: UTF-8 (a byte-order mark
// dropped, invalid bytes replaced with U+FFFD, NULs removed, line ends
// made "\n"), at most DefaultMaxSize bytes. An empty file is an error
// matching ErrNoText.
func Text() Loader {
	return bytesLoader(func(name string, b []byte) ([]retrieval.Document, error) {
		return oneDocument(name, "text", cleanText(b), nil)
	})
}

// Markdown loads a Markdown file as one document, its text kept as
// written (retrieval.MarkdownSplitter cuts it at headings later), its
// first level-1 heading as MetaTitle. A YAML front matter block ("---"
// lines) is dropped from the text.
func Markdown() Loader {
	return bytesLoader(func(name string, b []byte) ([]retrieval.Document, error) {
		text := stripFrontMatter(cleanText(b))
		md := map[string]any{}
		if t := markdownTitle(text); t != "" {
			md[MetaTitle] = t
		}
		return oneDocument(name, "markdown", text, md)
	})
}

// stripFrontMatter drops a leading "---" ... "---" block.
func stripFrontMatter(s string) string {
	if !strings.HasPrefix(s, "---\n") {
		return s
	}
	if end := strings.Index(s[4:], "\n---\n"); end >= 0 {
		return s[4+end+5:]
	}
	return s
}

// markdownTitle returns the first ATX level-1 heading outside code
// fences.
func markdownTitle(s string) string {
	fenced := false
	for line := range strings.SplitSeq(s, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fenced = !fenced
			continue
		}
		if !fenced && strings.HasPrefix(t, "# ") {
			return strings.TrimSpace(strings.TrimRight(t[2:], "# "))
		}
	}
	return ""
}

// bytesLoader is a Loader that reads the whole file (at most
// DefaultMaxSize bytes), unless ctx has ended, and hands it to load.
func bytesLoader(load func(name string, b []byte) ([]retrieval.Document, error)) Loader {
	return Func(func(ctx context.Context, name string, r io.Reader) ([]retrieval.Document, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := ReadAll(r, DefaultMaxSize)
		if err != nil {
			return nil, err
		}
		return load(name, b)
	})
}

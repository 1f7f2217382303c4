package loader

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/chorus-go/chorus/retrieval"
)

// Metadata keys loaders and Dir set on documents.
const (
	// MetaSource is the file's name or path, as given to Load (Dir gives
	// the path under its root, with forward slashes).
	MetaSource = "source"
	// MetaFormat is the format: "text", "markdown", "html", "pdf".
	MetaFormat = "format"
	// MetaTitle is the document's title when the format has one (an HTML
	// title, a Markdown first heading, a PDF's Title).
	MetaTitle = "title"
	// MetaModified is the file's modification time (RFC 3339, UTC), set
	// by Dir.
	MetaModified = "modified"
	// MetaSize is the file's size in bytes, set by Dir.
	MetaSize = "size"
	// MetaPage is the page number (from 1) of a document cut from a paged
	// format (PDF).
	MetaPage = "page"
	// MetaPages is the page count of the file a page came from.
	MetaPages = "pages"
)

// DefaultMaxSize is the largest file a loader reads (50 MiB).
const DefaultMaxSize = 50 << 20

// Sentinel errors, for errors.Is.
var (
	// ErrTooLarge: a file is larger than the size limit.
	ErrTooLarge = errors.New("loader: file too large")
	// ErrNoText: a file holds no text (empty or only white space).
	ErrNoText = errors.New("loader: no text in file")
	// ErrSkipped: Dir skipped a file: no loader for its extension, not a
	// regular file, or a symbolic link not followed.
	ErrSkipped = errors.New("loader: file skipped")
	// ErrSymlinkLoop: a symbolic link leads back to a directory being
	// walked.
	ErrSymlinkLoop = errors.New("loader: symbolic link loop")
)

// FileError is a failure to load one file: it names the file and matches
// its reason with errors.Is.
type FileError struct {
	Path string
	Err  error
}

// Error names the file and the reason.
func (e *FileError) Error() string { return fmt.Sprintf("loader: %s: %v", e.Path, e.Err) }

// Unwrap returns the reason.
func (e *FileError) Unwrap() error { return e.Err }

// Loader turns one file into documents. name identifies the file (a path
// or a URL): it is the documents' ID prefix and their MetaSource. A loader
// may return documents together with an error when part of the file could
// not be read (such as a PDF page without OCR); Dir reports both.
// Loaders must be safe for concurrent use.
type Loader interface {
	Load(ctx context.Context, name string, r io.Reader) ([]retrieval.Document, error)
}

// Func adapts a function to Loader.
type Func func(ctx context.Context, name string, r io.Reader) ([]retrieval.Document, error)

// Load calls f.
func (f Func) Load(ctx context.Context, name string, r io.Reader) ([]retrieval.Document, error) {
	return f(ctx, name, r)
}

// ReadAll reads r whole, failing with ErrTooLarge past limit bytes (0
// means DefaultMaxSize).
func ReadAll(r io.Reader, limit int64) ([]byte, error) {
	if limit <= 0 {
		limit = DefaultMaxSize
	}
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if n > limit {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)
	}
	return buf.Bytes(), nil
}

// cleanText makes text storable: a byte-order mark dropped, invalid UTF-8
// replaced with U+FFFD, NUL characters removed, line ends made "\n".
func cleanText(b []byte) string {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	s := string(b)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.ReplaceAll(s, "\x00", "")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// oneDocument is the document of a whole file.
func oneDocument(name, format, text string, md map[string]any) ([]retrieval.Document, error) {
	if strings.TrimSpace(text) == "" {
		return nil, ErrNoText
	}
	if md == nil {
		md = map[string]any{}
	}
	md[MetaSource] = name
	md[MetaFormat] = format
	return []retrieval.Document{{ID: name, Text: text, Metadata: md}}, nil
}

// Ext returns name's extension in lower case, with its dot (".md").
func Ext(name string) string { return strings.ToLower(filepath.Ext(name)) }

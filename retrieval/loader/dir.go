package loader

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/retrieval"
)

// File is one file Dir loaded: where it is, its size and modification
// time, and its documents.
type File struct {
	// Path is the file's path: root joined with its path under root.
	Path    string
	Size    int64
	ModTime time.Time
	// Format is the extension that chose the loader (".md").
	Format string
	Docs   []retrieval.Document
}

// DirOption configures Dir.
type DirOption func(*dirConfig)

type dirConfig struct {
	loaders map[string]Loader
	maxSize int64
	follow  bool
	hidden  bool
	errs    []string
}

// DefaultLoaders maps the extensions Dir reads by default to their
// loaders: .txt and .text (Text), .md and .markdown (Markdown), .html and
// .htm (HTML). PDF is added with WithLoader(".pdf", pdf.NewLoader(...)),
// so that only programs that read PDFs compile PDFium.
func DefaultLoaders() map[string]Loader {
	t, m, h := Text(), Markdown(), HTML()
	return map[string]Loader{".txt": t, ".text": t, ".md": m, ".markdown": m, ".html": h, ".htm": h}
}

// WithLoader makes Dir load files with extension ext (".pdf", any case)
// with l; a nil l stops Dir from loading them.
func WithLoader(ext string, l Loader) DirOption {
	return func(c *dirConfig) {
		if !strings.HasPrefix(ext, ".") || len(ext) < 2 {
			c.errs = append(c.errs, fmt.Sprintf("WithLoader(%q): an extension starts with a dot", ext))
			return
		}
		ext = strings.ToLower(ext)
		if l == nil {
			delete(c.loaders, ext)
			return
		}
		c.loaders[ext] = l
	}
}

// WithMaxSize sets the largest file Dir opens (default DefaultMaxSize);
// larger ones give an error matching ErrTooLarge.
func WithMaxSize(n int64) DirOption {
	return func(c *dirConfig) {
		if n < 1 {
			c.errs = append(c.errs, fmt.Sprintf("WithMaxSize(%d): want at least 1", n))
		}
		c.maxSize = n
	}
}

// FollowSymlinks makes Dir walk into directories reached through symbolic
// links (links to files are always read). A link back to a directory
// being walked gives an error matching ErrSymlinkLoop.
func FollowSymlinks() DirOption { return func(c *dirConfig) { c.follow = true } }

// IncludeHidden makes Dir read files and directories whose names start
// with a dot (skipped silently by default: .git, .cache...).
func IncludeHidden() DirOption { return func(c *dirConfig) { c.hidden = true } }

// Dir walks root and loads every file with a registered extension (see
// DefaultLoaders, WithLoader), in lexical order of paths, yielding each
// file with its documents. It does not stop on a failed file: it yields
// the file with a *FileError naming it and goes on. Files it skips (no
// loader for the extension, not a regular file, a link to a directory
// not followed) are yielded with a *FileError matching ErrSkipped, so a
// caller can report them or ignore them with errors.Is.
//
// Every document gets MetaSource (the file's path), MetaModified and
// MetaSize; documents' IDs are their loader's (the file's path, with
// "#p<page>" for PDF pages). A cancelled ctx ends the walk with ctx's
// error; invalid options yield one error matching chain.ErrConfig.
func Dir(ctx context.Context, root string, opts ...DirOption) iter.Seq2[File, error] {
	cfg := dirConfig{loaders: DefaultLoaders(), maxSize: DefaultMaxSize}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	return func(yield func(File, error) bool) {
		if len(cfg.errs) > 0 {
			yield(File{}, fmt.Errorf("loader.Dir: %w: %s", chain.ErrConfig, strings.Join(cfg.errs, "; ")))
			return
		}
		info, err := os.Stat(root)
		if err != nil {
			yield(File{Path: root}, &FileError{Path: root, Err: err})
			return
		}
		w := walker{ctx: ctx, cfg: cfg, yield: yield}
		if !info.IsDir() {
			w.file(root, info)
			return
		}
		w.dir(root, []os.FileInfo{info})
	}
}

// walker is one walk of Dir.
type walker struct {
	ctx     context.Context
	cfg     dirConfig
	yield   func(File, error) bool
	stopped bool
}

func (w *walker) emit(f File, err error) {
	if !w.stopped && !w.yield(f, err) {
		w.stopped = true
	}
}

func (w *walker) skip(path, format string, args ...any) {
	w.emit(File{Path: path}, &FileError{Path: path, Err: fmt.Errorf("%w: %s", ErrSkipped, fmt.Sprintf(format, args...))})
}

// dir walks directory path; ancestors are the directories being walked
// (for loop detection).
func (w *walker) dir(path string, ancestors []os.FileInfo) {
	entries, err := os.ReadDir(path)
	if err != nil {
		w.emit(File{Path: path}, &FileError{Path: path, Err: err})
		if len(entries) == 0 {
			return
		}
	}
	for _, e := range entries {
		if w.stopped {
			return
		}
		if err := w.ctx.Err(); err != nil {
			w.emit(File{}, err)
			w.stopped = true
			return
		}
		if !w.cfg.hidden && strings.HasPrefix(e.Name(), ".") {
			continue
		}
		p := filepath.Join(path, e.Name())
		info, err := os.Lstat(p)
		if err != nil {
			w.emit(File{Path: p}, &FileError{Path: p, Err: err})
			continue
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			target, err := os.Stat(p)
			if err != nil {
				w.emit(File{Path: p}, &FileError{Path: p, Err: fmt.Errorf("broken symbolic link: %w", err)})
				continue
			}
			if target.IsDir() {
				if !w.cfg.follow {
					w.skip(p, "symbolic link to a directory (see FollowSymlinks)")
					continue
				}
				if looped(target, ancestors) {
					w.emit(File{Path: p}, &FileError{Path: p, Err: ErrSymlinkLoop})
					continue
				}
			}
			info = target
		}
		switch {
		case info.IsDir():
			w.dir(p, append(ancestors[:len(ancestors):len(ancestors)], info))
		default:
			w.file(p, info)
		}
	}
}

func looped(d os.FileInfo, ancestors []os.FileInfo) bool {
	for _, a := range ancestors {
		if os.SameFile(a, d) {
			return true
		}
	}
	return false
}

// file loads one file.
func (w *walker) file(path string, info os.FileInfo) {
	ext := Ext(path)
	if !info.Mode().IsRegular() {
		w.skip(path, "not a regular file (%s)", info.Mode().Type())
		return
	}
	l, ok := w.cfg.loaders[ext]
	if !ok {
		w.skip(path, "no loader for extension %q", ext)
		return
	}
	f := File{Path: path, Size: info.Size(), ModTime: info.ModTime(), Format: ext}
	if info.Size() > w.cfg.maxSize {
		w.emit(f, &FileError{Path: path, Err: fmt.Errorf("%w: %d bytes, more than %d", ErrTooLarge, info.Size(), w.cfg.maxSize)})
		return
	}
	docs, err := w.load(l, path)
	for i := range docs {
		md := make(map[string]any, len(docs[i].Metadata)+3)
		maps.Copy(md, docs[i].Metadata)
		if _, ok := md[MetaSource]; !ok {
			md[MetaSource] = filepath.ToSlash(path)
		}
		md[MetaModified] = info.ModTime().UTC().Format(time.RFC3339)
		md[MetaSize] = info.Size()
		docs[i].Metadata = md
	}
	f.Docs = docs
	if err != nil {
		var fe *FileError
		if !errors.As(err, &fe) {
			err = &FileError{Path: path, Err: err}
		}
	}
	w.emit(f, err)
}

func (w *walker) load(l Loader, path string) ([]retrieval.Document, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return l.Load(w.ctx, filepath.ToSlash(path), io.LimitReader(fh, w.cfg.maxSize+1))
}

// Report sums up a LoadDir walk.
type Report struct {
	Files   int          // files loaded (with or without errors)
	Docs    int          // documents loaded
	Skipped []string     // paths skipped (ErrSkipped)
	Failed  []*FileError // files that failed, wholly or in part
}

// LoadDir runs Dir and collects every document, with a report of the
// files skipped and failed. Its error is only a configuration error or
// the context's: failed files are in the report.
func LoadDir(ctx context.Context, root string, opts ...DirOption) ([]retrieval.Document, Report, error) {
	var (
		docs []retrieval.Document
		rep  Report
	)
	for f, err := range Dir(ctx, root, opts...) {
		var fe *FileError
		switch {
		case err == nil:
		case errors.Is(err, ErrSkipped):
			rep.Skipped = append(rep.Skipped, f.Path)
			continue
		case errors.As(err, &fe):
			rep.Failed = append(rep.Failed, fe)
		default:
			return docs, rep, err
		}
		if f.Format != "" {
			rep.Files++
		}
		rep.Docs += len(f.Docs)
		docs = append(docs, f.Docs...)
	}
	return docs, rep, nil
}

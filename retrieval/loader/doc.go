// Package loader turns files into retrieval documents: plain text,
// Markdown, HTML (main content by Readability), and, through WithLoader,
// any other format such as PDF (retrieval/pdf), and walks directories
// with Dir.
//
// A Loader reads one file: Load(ctx, name, r) returns its documents, each
// with MetaSource (the name) and MetaFormat. Dir walks a directory in a
// fixed order, picks a loader by extension, adds MetaModified and
// MetaSize, and yields each file with its documents or an error naming it
// (a *FileError), without stopping at failures:
//
//	for f, err := range loader.Dir(ctx, "docs", loader.WithLoader(".pdf", engine.Loader())) {
//		if errors.Is(err, loader.ErrSkipped) {
//			continue // no loader for this extension
//		}
//		...
//	}
//
// LoadDir collects the documents with a Report. Files above a size limit
// (DefaultMaxSize, 50 MiB; WithMaxSize) fail with ErrTooLarge before they
// are opened; a file without text fails with ErrNoText. The loaders keep
// whole files as one document (PDF pages are one document each): cut them
// with a retrieval.Splitter before embedding, as retrieval.IngestDocuments
// does.
package loader

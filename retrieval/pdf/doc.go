// Package pdf reads PDF files for retrieval: the text layer of each page
// with its words' boxes, and scanned pages through an OCR engine. It runs
// PDFium compiled to WebAssembly (github.com/klippa-app/go-pdfium) in the
// wazero runtime: no cgo and no system library; the module is embedded
// in go-pdfium.
//
//	engine, err := pdf.Open(ctx, pdf.WithOCR(tesseract.MustNew()))
//	if err != nil { ... }
//	defer engine.Close()
//	doc, err := engine.ReadFile(ctx, "invoice.pdf")
//	for _, p := range doc.Pages { fmt.Println(p.Number, p.Method, p.Text) }
//
// Open the Engine once and share it: starting it compiles about 5 MB of
// WebAssembly, which takes seconds (tens under the race detector) the
// first time; the compiled code is kept in a cache directory under
// os.UserCacheDir (WithCacheDir), so later starts take well under a
// second. The engine keeps up to WithConcurrency PDFium instances, each
// reading one document at a time, each limited to WithMaxMemory of
// WebAssembly memory; PDFium sees no file system.
//
// # Pages
//
// Every page is classified (Page.Method): a page whose text layer has at
// least WithMinTextChars non-space characters is read from it (MethodText,
// words with boxes, confidence 1); a page with less text but some content
// (images, drawings: a scan, or text turned into outlines) is rendered in
// grey at WithDPI (300 by default, what Tesseract reads best) and read by
// the WithOCR engine (MethodOCR); a page with nothing on it is
// MethodEmpty. Without an OCR engine a scanned page is MethodUnread with
// an error matching ErrNoOCR, never silently empty. Page numbers start at
// 1. Word boxes are in pixels at Page.DPI, origin top left, for both
// methods, so they can be drawn on the rendered page.
//
// # Errors and limits
//
// A file that is not a PDF, is truncated or corrupt, or needs a password
// gives an *Error naming it and matching ErrInvalidPDF (and ErrEncrypted);
// a file over WithMaxFileSize (50 MiB) matches ErrTooLarge, one over
// WithMaxPages (2,000) ErrTooManyPages. The context is checked between
// pages. A page failure (OCR failed, PDFium failed) leaves the page
// MethodUnread with its Err; Document.Err joins them.
//
// # Retrieval
//
// Engine.Loader is a loader.Loader for loader.Dir: one retrieval.Document
// per page, ID "<file>#p<page>", with source, page and page count in its
// metadata, so a chunk found by a retriever cites its page.
package pdf

//go:generate go run ../../internal/testpdf/cmd/gen -out testdata

package pdf

import (
	"errors"
	"fmt"
	"strings"

	"github.com/chorus-go/chorus/chain"
)

// Sentinel errors, for errors.Is. Errors about a file are *Error values
// that name it and match one of these.
var (
	// ErrInvalidPDF: the bytes are not a PDF PDFium can open (not a PDF,
	// truncated, corrupt).
	ErrInvalidPDF = errors.New("pdf: invalid or corrupt PDF")
	// ErrEncrypted: the PDF is protected by a password (it also matches
	// ErrInvalidPDF: it cannot be read).
	ErrEncrypted = errors.New("pdf: encrypted PDF (password required)")
	// ErrTooLarge: the file is larger than WithMaxFileSize allows.
	ErrTooLarge = errors.New("pdf: file too large")
	// ErrTooManyPages: the document has more pages than WithMaxPages
	// allows.
	ErrTooManyPages = errors.New("pdf: too many pages")
	// ErrNoOCR: a page has no text layer (a scan) and the engine has no
	// OCR (see WithOCR); the page is reported unread, never as empty.
	ErrNoOCR = errors.New("pdf: scanned page and no OCR engine configured")
	// ErrOCR: the OCR engine failed on a page (the engine's error is
	// wrapped too).
	ErrOCR = errors.New("pdf: OCR failed")
	// ErrClosed: the engine was closed.
	ErrClosed = errors.New("pdf: engine closed")
	// ErrEngine: PDFium failed inside a document it had opened (the
	// WebAssembly module trapped or ran out of memory).
	ErrEngine = errors.New("pdf: PDFium failed")
)

// Error is a failure reading a file, or one page of it (Page > 0). It
// names the file and matches its reason with errors.Is.
type Error struct {
	Name string // the file's name as given to Read
	Page int    // 1-based page number, 0 for the whole file
	Err  error  // the reason: ErrInvalidPDF, ErrNoOCR, a context error...
}

// Error says which file (and page) and why.
func (e *Error) Error() string {
	// the reasons are this package's errors, which say "pdf: " already
	reason := strings.TrimPrefix(fmt.Sprint(e.Err), "pdf: ")
	if e.Page > 0 {
		return fmt.Sprintf("pdf: %s page %d: %s", e.Name, e.Page, reason)
	}
	return fmt.Sprintf("pdf: %s: %s", e.Name, reason)
}

// Unwrap returns the reason.
func (e *Error) Unwrap() error { return e.Err }

// Is makes an encrypted file also match ErrInvalidPDF.
func (e *Error) Is(target error) bool {
	return target == ErrInvalidPDF && errors.Is(e.Err, ErrEncrypted)
}

// configError is an invalid option of Open: it matches chain.ErrConfig.
func configError(format string, args ...any) error {
	return fmt.Errorf("pdf.Open: %w: %s", chain.ErrConfig, fmt.Sprintf(format, args...))
}

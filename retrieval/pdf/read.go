package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/klippa-app/go-pdfium"
	pdfiumerr "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
)

// ReadFile reads the PDF file at path (see Read).
func (e *Engine) ReadFile(ctx context.Context, path string) (*Document, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{Name: path, Err: err}
	}
	defer f.Close()
	return e.ReadFrom(ctx, path, f)
}

// ReadFrom reads a PDF from r, at most WithMaxFileSize bytes (see Read).
func (e *Engine) ReadFrom(ctx context.Context, name string, r io.Reader) (*Document, error) {
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r, e.cfg.maxFileSize+1))
	if err != nil {
		return nil, &Error{Name: name, Err: err}
	}
	if n > e.cfg.maxFileSize {
		return nil, &Error{Name: name, Err: fmt.Errorf("%w: more than %d bytes", ErrTooLarge, e.cfg.maxFileSize)}
	}
	return e.Read(ctx, name, buf.Bytes())
}

// Read reads the PDF in data; name names it in errors and results. Every
// page is read from its text layer, or, when it has none (a scan),
// rendered at WithDPI and read by the OCR engine; blank pages are
// MethodEmpty.
//
// A file that cannot be read at all gives a nil Document and an *Error
// matching ErrInvalidPDF, ErrEncrypted, ErrTooLarge, ErrTooManyPages,
// ErrClosed or the context's error (checked between pages). Pages that
// cannot be read (a scan without OCR, an OCR failure) are MethodUnread with
// their Err set, and the Document is returned with a nil error: call
// Document.Err to see them.
func (e *Engine) Read(ctx context.Context, name string, data []byte) (doc *Document, err error) {
	if int64(len(data)) > e.cfg.maxFileSize {
		return nil, &Error{Name: name, Err: fmt.Errorf("%w: %d bytes, more than %d", ErrTooLarge, len(data), e.cfg.maxFileSize)}
	}
	if !bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-")) {
		return nil, &Error{Name: name, Err: fmt.Errorf("%w: no %%PDF- header", ErrInvalidPDF)}
	}
	if err := ctx.Err(); err != nil {
		return nil, &Error{Name: name, Err: err}
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	inst, err := e.instance(ctx)
	if err != nil {
		return nil, &Error{Name: name, Err: err}
	}
	broken := false
	defer func() {
		if r := recover(); r != nil {
			broken = true
			doc, err = nil, &Error{Name: name, Err: fmt.Errorf("%w: %v", ErrEngine, r)}
		}
		if broken {
			_ = inst.Kill() // a trapped module is not reused
		} else {
			_ = inst.Close()
		}
	}()
	r := &reader{e: e, inst: inst, name: name}
	doc, err = r.read(ctx, data)
	broken = r.broken
	return doc, err
}

// reader reads one document in one PDFium instance.
type reader struct {
	e      *Engine
	inst   pdfium.Pdfium
	name   string
	doc    references.FPDF_DOCUMENT
	broken bool
}

func (r *reader) fail(err error) error { return &Error{Name: r.name, Err: err} }

func (r *reader) read(ctx context.Context, data []byte) (*Document, error) {
	opened, err := r.inst.OpenDocument(&requests.OpenDocument{File: &data})
	if err != nil {
		return nil, r.fail(openError(err))
	}
	r.doc = opened.Document
	defer func() {
		_, _ = r.inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: r.doc})
	}()
	count, err := r.inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: r.doc})
	if err != nil {
		return nil, r.fail(fmt.Errorf("%w: page count: %v", ErrInvalidPDF, err))
	}
	if count.PageCount > r.e.cfg.maxPages {
		return nil, r.fail(fmt.Errorf("%w: %d pages, more than %d", ErrTooManyPages, count.PageCount, r.e.cfg.maxPages))
	}
	doc := &Document{Name: r.name, Pages: make([]Page, 0, count.PageCount), Info: r.info()}
	for i := range count.PageCount {
		if err := ctx.Err(); err != nil {
			return nil, r.fail(err)
		}
		p, err := r.page(ctx, i)
		if err != nil {
			return nil, err
		}
		doc.Pages = append(doc.Pages, p)
	}
	return doc, nil
}

// openError maps PDFium's open errors to ours.
func openError(err error) error {
	switch {
	case errors.Is(err, pdfiumerr.ErrPassword), errors.Is(err, pdfiumerr.ErrSecurity):
		return fmt.Errorf("%w: %v", ErrEncrypted, err)
	default:
		return fmt.Errorf("%w: %v", ErrInvalidPDF, err)
	}
}

// info returns the document's information dictionary.
func (r *reader) info() map[string]string {
	md, err := r.inst.GetMetaData(&requests.GetMetaData{Document: r.doc})
	if err != nil || md == nil {
		return nil
	}
	out := map[string]string{}
	for _, t := range md.Tags {
		if t.Value != "" {
			out[t.Tag] = t.Value
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

package pdf

import (
	"context"
	"fmt"
	"io"

	"github.com/chorus-go/chorus/retrieval"
	"github.com/chorus-go/chorus/retrieval/loader"
)

// Metadata keys the PDF loader sets besides loader's (MetaSource,
// MetaFormat, MetaTitle, MetaPage, MetaPages).
const (
	// MetaMethod is how the page was read: "text" or "ocr".
	MetaMethod = "method"
	// MetaConfidence is the OCR engine's mean confidence on the page, in
	// [0, 1] (set for OCRed pages only).
	MetaConfidence = "ocr_confidence"
)

// Loader returns a loader.Loader that reads PDFs with e, for loader.Dir:
//
//	loader.Dir(ctx, "docs", loader.WithLoader(".pdf", engine.Loader()))
//
// It makes one document per page read, so that a retrieved chunk cites its
// page: ID "<name>#p<page>", the page's text, and metadata MetaSource
// (name), MetaFormat ("pdf"), MetaPage (from 1), MetaPages, MetaMethod,
// MetaConfidence for OCRed pages, and MetaTitle when the PDF has one.
// Blank pages make no document. Pages that could not be read (scans
// without OCR, OCR failures) make no document either, and the error
// returned with the other pages' documents names them (Document.Err);
// a file that cannot be read at all gives no documents and its *Error.
func (e *Engine) Loader() loader.Loader {
	return loader.Func(func(ctx context.Context, name string, r io.Reader) ([]retrieval.Document, error) {
		doc, err := e.ReadFrom(ctx, name, r)
		if err != nil {
			return nil, err
		}
		return Documents(doc), doc.Err()
	})
}

// Documents turns the pages read of doc into retrieval documents, one per
// page (see Engine.Loader).
func Documents(doc *Document) []retrieval.Document {
	out := make([]retrieval.Document, 0, len(doc.Pages))
	for _, p := range doc.Pages {
		if p.Method != MethodText && p.Method != MethodOCR {
			continue
		}
		md := map[string]any{
			loader.MetaSource: doc.Name,
			loader.MetaFormat: "pdf",
			loader.MetaPage:   p.Number,
			loader.MetaPages:  len(doc.Pages),
			MetaMethod:        string(p.Method),
		}
		if p.Method == MethodOCR {
			md[MetaConfidence] = p.Confidence
		}
		if t := doc.Info["Title"]; t != "" {
			md[loader.MetaTitle] = t
		}
		out = append(out, retrieval.Document{ID: fmt.Sprintf("%s#p%d", doc.Name, p.Number), Text: p.Text, Metadata: md})
	}
	return out
}

package main

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/retrieval/pdf"
)

// PageInfo says how one page of a PDF was read: from its text layer
// ("text"), by OCR of the rendered page ("ocr"), not at all ("unread",
// with the error) or found blank ("empty").
type PageInfo struct {
	Number     int     `json:"number"`
	Method     string  `json:"method"`
	Chars      int     `json:"chars"`
	Confidence float64 `json:"confidence,omitempty"`
	Error      string  `json:"error,omitempty"`
}

// String says it for the report: "page 2: ocr, 412 characters,
// confidence 91%".
func (p PageInfo) String() string {
	s := fmt.Sprintf("page %d: %s, %d characters", p.Number, p.Method, p.Chars)
	if p.Method == string(pdf.MethodOCR) {
		s += fmt.Sprintf(", confidence %.0f%%", 100*p.Confidence)
	}
	if p.Error != "" {
		s += ": " + excerpt(p.Error, 80)
	}
	return s
}

// pdfReader opens the PDF engine (PDFium in WebAssembly) the first time a
// PDF is read, once per pipeline, and closes it with the pipeline: a run
// without PDFs never starts it.
type pdfReader struct {
	ocr  llm.OCR // nil: scanned pages are unread
	once sync.Once
	eng  *pdf.Engine
	err  error
}

// engine opens the engine on first use.
func (r *pdfReader) engine(ctx context.Context) (*pdf.Engine, error) {
	r.once.Do(func() {
		var opts []pdf.Option
		if r.ocr != nil {
			opts = append(opts, pdf.WithOCR(r.ocr))
		}
		// The engine outlives the document that opened it: its own
		// context must not be the document's.
		r.eng, r.err = pdf.Open(context.WithoutCancel(ctx), opts...)
		if r.err != nil {
			r.err = fmt.Errorf("pdf: %w", r.err)
		}
	})
	return r.eng, r.err
}

// close releases the engine if it was opened.
func (r *pdfReader) close() {
	if r.eng != nil {
		_ = r.eng.Close() // nothing to do about a failure at exit
	}
}

// pageSep separates the pages of a PDF in the document's text.
const pageSep = "\n\n"

// chain reads a PDF input into one Page: the pages' texts joined, their
// words in order, where each page starts in the text, and how each page
// was read. A document whose every page is unread is an error.
func (r *pdfReader) chain() chain.Chain[Input, Page] {
	return chain.Named("pdf", chain.Fn(func(ctx context.Context, in Input) (Page, error) {
		eng, err := r.engine(ctx)
		if err != nil {
			return Page{}, err
		}
		doc, err := eng.Read(ctx, in.Name, in.PDF)
		if err != nil {
			return Page{}, err
		}
		return pdfPage(doc)
	}))
}

// pdfPage joins the pages of a document read from a PDF.
func pdfPage(doc *pdf.Document) (Page, error) {
	var b strings.Builder
	out := Page{Source: "pdf"}
	var conf float64
	var read int
	for _, p := range doc.Pages {
		info := PageInfo{Number: p.Number, Method: string(p.Method), Chars: len([]rune(p.Text)), Confidence: p.Confidence}
		if p.Err != nil {
			info.Error = p.Err.Error()
		}
		out.Pages = append(out.Pages, info)
		if strings.TrimSpace(p.Text) == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(pageSep)
		}
		out.PageStarts = append(out.PageStarts, pageStart{Offset: b.Len(), Number: p.Number})
		b.WriteString(p.Text)
		out.Words = append(out.Words, p.Words...)
		conf += p.Confidence
		read++
	}
	if read == 0 {
		if err := doc.Err(); err != nil {
			return Page{}, err
		}
	} else {
		out.Confidence = conf / float64(read)
	}
	out.Text = b.String()
	return out, nil
}

// pageStart is where a page's text starts in a document's text (bytes).
type pageStart struct {
	Offset, Number int
}

// pageAt is the number of the page holding byte offset off of a text
// whose pages start at starts (page 1 when there are none: an image or
// a text file).
func pageAt(starts []pageStart, off int) int {
	n := 1
	for _, s := range starts {
		if s.Offset > off {
			break
		}
		n = s.Number
	}
	return n
}

package pdf

import (
	"errors"

	"github.com/chorus-go/chorus/llm"
)

// Method is how a page's text was obtained.
type Method string

// The methods of Page.Method.
const (
	// MethodText: the page's text layer.
	MethodText Method = "text"
	// MethodOCR: the page was rendered and read by the OCR engine.
	MethodOCR Method = "ocr"
	// MethodEmpty: the page holds nothing (no text, no image, no
	// drawing): a blank page, read as empty on purpose.
	MethodEmpty Method = "empty"
	// MethodUnread: the page could not be read; Page.Err says why
	// (ErrNoOCR, ErrOCR, ErrEngine).
	MethodUnread Method = "unread"
)

// Document is what Read found in a PDF: its pages in order and its
// information dictionary (Title, Author, Subject, Keywords, Creator,
// Producer, CreationDate, ModDate, when set).
type Document struct {
	Name  string
	Pages []Page
	Info  map[string]string
}

// Page is one page of a document.
type Page struct {
	// Number is the page number, from 1.
	Number int
	// Method says where Text comes from.
	Method Method
	// Text is the page's text: words separated by spaces, lines by
	// newlines. Empty for MethodEmpty and MethodUnread.
	Text string
	// Words are the words with their boxes in pixels at DPI (origin top
	// left, as in the rendered image), their line numbers from 1 and
	// their confidence (1 for a text layer).
	Words []llm.Word
	// Confidence is the mean word confidence: 1 for a text layer, the OCR
	// engine's for MethodOCR.
	Confidence float64
	// DPI is the resolution of the word boxes (and of the rendered image
	// for OCR; lower than WithDPI when WithMaxPixels forced it).
	DPI int
	// Width and Height are the page's size in points (1/72 inch).
	Width, Height float64
	// TextChars is the number of non-space characters of the page's text
	// layer (before any OCR).
	TextChars int
	// ImageCoverage is the fraction of the page covered by images, in
	// [0, 1] (an estimate: overlapping images count twice, capped at 1).
	ImageCoverage float64
	// Err is why the page is unread (an *Error naming file and page), nil
	// otherwise.
	Err error
}

// Err returns the errors of the unread pages joined (each an *Error
// naming file and page), or nil when every page was read.
func (d *Document) Err() error {
	var errs []error
	for _, p := range d.Pages {
		if p.Err != nil {
			errs = append(errs, p.Err)
		}
	}
	return errors.Join(errs...)
}

// Text returns the text of the pages read, separated by form feeds
// ("\f"), one per page boundary, so that page i (from 1) is the i-th
// field of strings.Split(text, "\f").
func (d *Document) Text() string {
	n := 0
	for _, p := range d.Pages {
		n += len(p.Text) + 1
	}
	b := make([]byte, 0, n)
	for i, p := range d.Pages {
		if i > 0 {
			b = append(b, '\f')
		}
		b = append(b, p.Text...)
	}
	return string(b)
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/examples/internal/doctype"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/tesseract"
)

// readStage routes an input to OCR when it holds an image, to the PDF
// reader (pdfs) when it holds a PDF, and takes its text as it is
// otherwise. Without an OCR engine (Tesseract missing), images fail with
// tesseract's error, which says what to install, and scanned PDF pages
// are unread. It returns the stage and the OCR engine's name, and gives
// pdfs the OCR engine.
func readStage(ocr llm.OCR, pdfs *pdfReader) (chain.Chain[Input, Page], string) {
	if ocr == nil {
		eng, err := tesseract.New()
		if err != nil {
			return readRoute(chain.Named("ocr", chain.Fn(func(context.Context, Input) (Page, error) {
				return Page{}, err
			})), pdfs.chain()), "unavailable: " + err.Error()
		}
		ocr = eng
	}
	pdfs.ocr = ocr
	return readRoute(chain.Wrap(llm.OCRResultChain(ocr), recognize), pdfs.chain()), chain.Describe(ocr).Name
}

// readRoute is the read stage with the image and PDF routes given.
func readRoute(image, pdf chain.Chain[Input, Page]) chain.Chain[Input, Page] {
	text := chain.Named("text", chain.Pure(func(in Input) Page { return Page{Text: in.Text, Source: "text"} }))
	routes := map[string]chain.Chain[Input, Page]{"image": image, "pdf": pdf, "text": text}
	return chain.Named("read", chain.Route(chain.RouterFunc[Input, string](inputKind), routes))
}

// inputKind routes an input to OCR ("image"), the PDF reader ("pdf") or
// takes its "text".
func inputKind(_ context.Context, in Input) (string, error) {
	switch {
	case len(in.PDF) > 0:
		return "pdf", nil
	case len(in.Image) > 0:
		return "image", nil
	case strings.TrimSpace(in.Text) != "":
		return "text", nil
	}
	return "", fmt.Errorf("input %q has neither an image, a PDF nor text", in.Name)
}

// recognize reads an input's image with the OCR engine.
func recognize(ctx context.Context, in Input, ocr chain.Chain[llm.Image, llm.OCRResult]) (Page, error) {
	mime := imageType(in.Image)
	if !strings.HasPrefix(mime, "image/") {
		return Page{}, fmt.Errorf("ocr: %s is not an image (%s)", in.Name, mime)
	}
	r, err := ocr.Run(ctx, llm.Image{MIMEType: mime, Data: in.Image})
	if err != nil {
		return Page{}, fmt.Errorf("ocr: %s: %w", in.Name, err)
	}
	return Page{Text: r.Text, Source: "ocr", Confidence: r.Confidence, Words: r.Words}, nil
}

// imageType names the type of an image from its first bytes: PNG, JPEG,
// GIF, WebP and BMP as net/http sniffs them, and TIFF, which it does not.
func imageType(b []byte) string {
	if bytes.HasPrefix(b, []byte("II*\x00")) || bytes.HasPrefix(b, []byte("MM\x00*")) {
		return "image/tiff"
	}
	return http.DetectContentType(b)
}

// classifyStage is the vote on the document type: the keyword rules, the
// naive Bayes model and every configured language model.
func classifyStage(cfg Config, models []chatModel) (chain.Chain[string, chain.Verdict[DocType]], error) {
	var examples []doctype.Example
	var err error
	if cfg.TrainDir != "" {
		examples, err = doctype.LoadExamples(os.DirFS(cfg.TrainDir), ".")
	} else {
		examples, err = doctype.Training()
	}
	if err != nil {
		return nil, err
	}
	nb, err := doctype.TrainNaiveBayes(examples)
	if err != nil {
		return nil, err
	}
	voters := make([]doctype.Model, len(models))
	for i, m := range models {
		voters[i] = doctype.Model{Name: m.spec.String(), Chat: m.model}
	}
	return chain.Named("classify", doctype.Vote(doctype.Members(nb, voters...))), nil
}

// answered runs c and reports its output as the answer of its first and
// only alternative, for a stage that is a fallback when there are models
// and c alone when there are none.
func answered[I, O any](ctx context.Context, in I, c chain.Chain[I, O]) (chain.Answered[O], error) {
	out, err := c.Run(ctx, in)
	return chain.Answered[O]{Value: out}, err
}

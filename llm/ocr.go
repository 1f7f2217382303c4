package llm

import (
	"context"
	"image"

	"github.com/chorus-go/chorus/chain"
)

// OCR reads the text of an image.
type OCR interface {
	Recognize(ctx context.Context, img Image) (OCRResult, error)
}

// OCRResult is what an OCR engine read: the text (lines separated by
// newlines, paragraphs by blank lines), the words with their boxes and
// confidences where the engine gives them, and the mean word confidence in
// [0, 1] (0 when unknown).
type OCRResult struct {
	Text       string
	Words      []Word
	Confidence float64
}

// Word is one recognised word: its text, its box in image pixels, its
// confidence in [0, 1], and the block, paragraph and line it belongs to.
type Word struct {
	Text       string
	Box        image.Rectangle
	Confidence float64
	Block      int
	Paragraph  int
	Line       int
}

// OCRChain makes a chain of an OCR engine: image in, text out. Like the
// chain package's combinators, it panics with an error matching
// chain.ErrConfig (and ErrNilModel) if o is nil.
func OCRChain(o OCR) chain.Chain[Image, string] {
	if o == nil || isNilValue(o) {
		panic(&configError{"OCRChain", ErrNilModel})
	}
	return ocrChain{o}
}

type ocrChain struct{ o OCR }

func (c ocrChain) Run(ctx context.Context, img Image) (string, error) {
	r, err := c.o.Recognize(ctx, img)
	return r.Text, err
}

func (c ocrChain) Describe() chain.Node { return chain.Describe(c.o) }

// OCRResultChain makes a chain of an OCR engine that keeps all it read:
// image in, OCRResult (text, words, confidence) out, for a pipeline that
// reports how sure the engine was. It draws as the engine and, like
// OCRChain, panics with an error matching chain.ErrConfig (and
// ErrNilModel) if o is nil.
func OCRResultChain(o OCR) chain.Chain[Image, OCRResult] {
	if o == nil || isNilValue(o) {
		panic(&configError{"OCRResultChain", ErrNilModel})
	}
	return ocrResultChain{o}
}

type ocrResultChain struct{ o OCR }

func (c ocrResultChain) Run(ctx context.Context, img Image) (OCRResult, error) {
	return c.o.Recognize(ctx, img)
}

func (c ocrResultChain) Describe() chain.Node { return chain.Describe(c.o) }

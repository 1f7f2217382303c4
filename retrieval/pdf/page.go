package pdf

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"math"

	"github.com/klippa-app/go-pdfium/enums"
	"github.com/klippa-app/go-pdfium/requests"

	"github.com/chorus-go/chorus/llm"
)

// maxObjects bounds the page objects inspected for image coverage.
const maxObjects = 10_000

// page reads page i (from 0). Errors it returns end the document (a
// cancelled context); a page that cannot be read is returned unread.
func (r *reader) page(ctx context.Context, i int) (Page, error) {
	p := Page{Number: i + 1, DPI: r.e.cfg.dpi}
	ref := requests.Page{ByIndex: &requests.PageByIndex{Document: r.doc, Index: i}}
	unread := func(err error) (Page, error) {
		p.Method, p.Text, p.Words, p.Confidence = MethodUnread, "", nil, 0
		p.Err = &Error{Name: r.name, Page: p.Number, Err: err}
		r.e.cfg.logger.Warn("pdf: page unread", "file", r.name, "page", p.Number, "err", err)
		return p, nil
	}
	size, err := r.inst.FPDF_GetPageSizeByIndex(&requests.FPDF_GetPageSizeByIndex{Document: r.doc, Index: i})
	if err != nil {
		r.broken = true
		return unread(fmt.Errorf("%w: page size: %v", ErrEngine, err))
	}
	p.Width, p.Height = size.Width, size.Height
	text, err := r.inst.GetPageTextStructured(&requests.GetPageTextStructured{Page: ref, Mode: requests.GetPageTextStructuredModeChars})
	if err != nil {
		r.broken = true
		return unread(fmt.Errorf("%w: text layer: %v", ErrEngine, err))
	}
	p.Words, p.TextChars = wordsFromChars(text.Chars, r.toDevice(ref, p.Width, p.Height, float64(p.DPI)/72))
	if p.TextChars >= r.e.cfg.minTextChars {
		p.Method, p.Text, p.Confidence = MethodText, textOf(p.Words), 1
		p.ImageCoverage, _ = r.coverage(ref, p.Width*p.Height)
		return p, nil
	}
	coverage, objects := r.coverage(ref, p.Width*p.Height)
	p.ImageCoverage = coverage
	if objects == 0 {
		p.Method, p.Words = MethodEmpty, nil
		return p, nil
	}
	if r.e.cfg.ocr == nil {
		return unread(ErrNoOCR)
	}
	img, dpi, err := r.render(ref, p.Width, p.Height)
	if err != nil {
		r.broken = true
		return unread(fmt.Errorf("%w: render: %v", ErrEngine, err))
	}
	if err := ctx.Err(); err != nil {
		return Page{}, r.fail(err)
	}
	res, err := r.e.cfg.ocr.Recognize(ctx, img)
	if err != nil {
		if ctx.Err() != nil {
			return Page{}, r.fail(ctx.Err())
		}
		return unread(fmt.Errorf("%w: %w", ErrOCR, err))
	}
	p.Method, p.DPI, p.Text, p.Words, p.Confidence = MethodOCR, dpi, res.Text, res.Words, res.Confidence
	return p, nil
}

// toDevice maps page space to the pixels of the page rendered at scale
// pixels per point, with PDFium's own transform (it knows the page's
// rotation and where its box starts). The transform is affine: it is
// measured once per page on three points far apart (PDFium rounds to
// whole pixels) and applied in Go. If PDFium fails, it falls back to
// flipping the y axis.
func (r *reader) toDevice(ref requests.Page, w, h, scale float64) func(x, y float64) image.Point {
	const far = 10_000.0
	sx, sy := int(math.Round(w*scale)), int(math.Round(h*scale))
	var pts [3][2]float64
	for i, p := range [3][2]float64{{0, 0}, {far, 0}, {0, far}} {
		d, err := r.inst.FPDF_PageToDevice(&requests.FPDF_PageToDevice{Page: ref, SizeX: sx, SizeY: sy, PageX: p[0], PageY: p[1]})
		if err != nil {
			return flipY(h, scale)
		}
		pts[i] = [2]float64{float64(d.DeviceX), float64(d.DeviceY)}
	}
	o := pts[0]
	ax, ay := (pts[1][0]-o[0])/far, (pts[1][1]-o[1])/far // device change per page x
	bx, by := (pts[2][0]-o[0])/far, (pts[2][1]-o[1])/far // device change per page y
	return func(x, y float64) image.Point {
		return image.Pt(int(math.Round(o[0]+ax*x+bx*y)), int(math.Round(o[1]+ay*x+by*y)))
	}
}

// coverage returns the fraction of the page's area covered by image
// objects and the number of page objects.
func (r *reader) coverage(ref requests.Page, area float64) (float64, int) {
	n, err := r.inst.FPDFPage_CountObjects(&requests.FPDFPage_CountObjects{Page: ref})
	if err != nil || n.Count <= 0 {
		return 0, 0
	}
	var covered float64
	for j := range min(n.Count, maxObjects) {
		obj, err := r.inst.FPDFPage_GetObject(&requests.FPDFPage_GetObject{Page: ref, Index: j})
		if err != nil {
			continue
		}
		t, err := r.inst.FPDFPageObj_GetType(&requests.FPDFPageObj_GetType{PageObject: obj.PageObject})
		if err != nil || t.Type != enums.FPDF_PAGEOBJ_IMAGE {
			continue
		}
		b, err := r.inst.FPDFPageObj_GetBounds(&requests.FPDFPageObj_GetBounds{PageObject: obj.PageObject})
		if err != nil {
			continue
		}
		covered += math.Abs(float64(b.Right-b.Left)) * math.Abs(float64(b.Top-b.Bottom))
	}
	if area <= 0 {
		return 0, n.Count
	}
	return min(covered/area, 1), n.Count
}

// renderDPI is the DPI at which a page of w×h points fits in maxPixels.
func renderDPI(dpi, maxPixels int, w, h float64) int {
	px := w * h * float64(dpi) * float64(dpi) / (72 * 72)
	if px <= float64(maxPixels) {
		return dpi
	}
	return max(1, int(float64(dpi)*math.Sqrt(float64(maxPixels)/px)))
}

// render renders a page in grey at WithDPI (lowered to fit WithMaxPixels)
// and encodes it as PNG.
func (r *reader) render(ref requests.Page, w, h float64) (llm.Image, int, error) {
	dpi := renderDPI(r.e.cfg.dpi, r.e.cfg.maxPixels, w, h)
	res, err := r.inst.RenderPageInDPI(&requests.RenderPageInDPI{
		Page:        ref,
		DPI:         dpi,
		ImageFormat: requests.RenderImageFormatGrayscale,
	})
	if err != nil {
		return llm.Image{}, 0, err
	}
	defer res.Cleanup()
	img, ok := res.Result.RenderedImage.(*image.Gray)
	if !ok || img == nil {
		return llm.Image{}, 0, fmt.Errorf("rendered %T, want *image.Gray", res.Result.RenderedImage)
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return llm.Image{}, 0, err
	}
	return llm.Image{MIMEType: "image/png", Data: buf.Bytes()}, dpi, nil
}

package testpdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"image"
	"strings"
)

// Page is one page of a generated PDF: lines of text drawn in Helvetica
// (a text layer), or an image filling the page (a scan, no text layer).
// A page with both draws the image and then the text over it.
type Page struct {
	// Lines are drawn from the top left margin, one per line; a line
	// starting with "# " is a heading in Helvetica-Bold. Only characters
	// of WinAnsi (Latin-1) are allowed; others become '?'.
	Lines []string
	// Image, if not nil, fills the page (8-bit grey, Flate-compressed),
	// the page sized to the image at DPI.
	Image *image.Gray
	// DPI is the image's resolution (default 200).
	DPI float64
	// Rotate is the page's /Rotate entry: 0, 90, 180 or 270 degrees
	// clockwise for display.
	Rotate int
}

// Page geometry of text pages: US Letter, 1 inch margins.
const (
	PageWidth  = 612.0 // points
	PageHeight = 792.0 // points
	Margin     = 72.0  // points
	FontSize   = 12.0  // points
	Leading    = 16.0  // points between baselines
)

// Build writes pages as a PDF 1.4 file. The output is a pure function of
// the pages: no dates, no IDs, fixed compression.
func Build(pages []Page) []byte { return build(pages, false) }

// Encrypted builds pages as a PDF that claims to be encrypted with the
// standard security handler (RC4, 40 bits) under an unknown user
// password: readers must refuse it without the password. The content is
// not really encrypted; only the refusal is tested.
func Encrypted(pages []Page) []byte { return build(pages, true) }

func build(pages []Page, encrypted bool) []byte {
	w := &writer{}
	w.buf.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	// Objects 1 (catalog), 2 (pages), 3 and 4 (fonts) come first; each
	// page then takes three objects: page, content, image (maybe unused).
	const first = 5
	kids := make([]string, len(pages))
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", first+3*i)
	}
	w.object(1, "<< /Type /Catalog /Pages 2 0 R >>")
	w.object(2, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)))
	w.object(3, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	w.object(4, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
	for i, p := range pages {
		pageObj, contentObj, imageObj := first+3*i, first+3*i+1, first+3*i+2
		width, height := PageWidth, PageHeight
		var content bytes.Buffer
		resources := "/Font << /F1 3 0 R /F2 4 0 R >>"
		if p.Image != nil {
			dpi := p.DPI
			if dpi <= 0 {
				dpi = 200
			}
			b := p.Image.Bounds()
			width = float64(b.Dx()) * 72 / dpi
			height = float64(b.Dy()) * 72 / dpi
			resources += fmt.Sprintf(" /XObject << /Im1 %d 0 R >>", imageObj)
			fmt.Fprintf(&content, "q %s 0 0 %s 0 0 cm /Im1 Do Q\n", num(width), num(height))
			pix, cols, rows := grayBytes(p.Image)
			w.stream(imageObj, fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8", cols, rows), pix)
		} else {
			w.object(imageObj, "null")
		}
		writeText(&content, p.Lines, height)
		w.stream(contentObj, "", content.Bytes())
		rotate := ""
		if p.Rotate != 0 {
			rotate = fmt.Sprintf(" /Rotate %d", p.Rotate)
		}
		w.object(pageObj, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s]%s /Resources << %s >> /Contents %d 0 R >>",
			num(width), num(height), rotate, resources, contentObj))
	}
	n := first + 3*len(pages)
	trailer := ""
	if encrypted {
		w.object(n, "<< /Filter /Standard /V 1 /R 2 /O <"+strings.Repeat("4f", 32)+"> /U <"+strings.Repeat("55", 32)+"> /P -4 >>")
		trailer = fmt.Sprintf(" /Encrypt %d 0 R /ID [<%s> <%s>]", n, strings.Repeat("01", 16), strings.Repeat("01", 16))
		n++
	}
	return w.finish(n, trailer)
}

// writeText draws lines from the top margin of a page of the given height.
func writeText(b *bytes.Buffer, lines []string, height float64) {
	if len(lines) == 0 {
		return
	}
	y := height - Margin
	for _, l := range lines {
		font, size := "F1", FontSize
		if rest, ok := strings.CutPrefix(l, "# "); ok {
			font, size, l = "F2", FontSize*1.5, rest
		}
		if strings.TrimSpace(l) != "" {
			fmt.Fprintf(b, "BT /%s %s Tf %s %s Td (%s) Tj ET\n", font, num(size), num(Margin), num(y), escape(l))
		}
		y -= Leading
	}
}

// escape makes s a PDF literal string body in WinAnsi.
func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r >= 0xa0 && r <= 0xff:
			fmt.Fprintf(&b, "\\%03o", r)
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}

// grayBytes returns img's pixels row by row, one byte each.
func grayBytes(img *image.Gray) ([]byte, int, int) {
	b := img.Bounds()
	cols, rows := b.Dx(), b.Dy()
	out := make([]byte, 0, cols*rows)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		off := img.PixOffset(b.Min.X, y)
		out = append(out, img.Pix[off:off+cols]...)
	}
	return out, cols, rows
}

// num formats a coordinate with at most two decimals.
func num(f float64) string {
	s := fmt.Sprintf("%.2f", f)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// writer accumulates objects and their offsets.
type writer struct {
	buf     bytes.Buffer
	offsets map[int]int
}

func (w *writer) object(n int, body string) {
	if w.offsets == nil {
		w.offsets = map[int]int{}
	}
	w.offsets[n] = w.buf.Len()
	fmt.Fprintf(&w.buf, "%d 0 obj\n%s\nendobj\n", n, body)
}

// stream writes a Flate-compressed stream object with extra dictionary
// entries.
func (w *writer) stream(n int, dict string, data []byte) {
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	_, _ = zw.Write(data)
	_ = zw.Close()
	if dict != "" {
		dict += " "
	}
	w.object(n, fmt.Sprintf("<< %s/Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream", dict, z.Len(), z.Bytes()))
}

// finish writes the cross-reference table and trailer for objects 1..n-1.
func (w *writer) finish(n int, trailer string) []byte {
	xref := w.buf.Len()
	fmt.Fprintf(&w.buf, "xref\n0 %d\n0000000000 65535 f \n", n)
	for i := 1; i < n; i++ {
		fmt.Fprintf(&w.buf, "%010d 00000 n \n", w.offsets[i])
	}
	fmt.Fprintf(&w.buf, "trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n", n, trailer, xref)
	return w.buf.Bytes()
}

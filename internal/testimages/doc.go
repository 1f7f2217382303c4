// Package testimages renders deterministic document images for OCR tests
// and examples: text drawn with the Go fonts (golang.org/x/image/font/gofont),
// then optionally degraded the way a cheap scan degrades it (uneven paper,
// blur, salt-and-pepper noise) and rotated a little.
//
// Everything is a pure function of its arguments: the same lines, options
// and seed give the same pixels, so the PNG files under
// llm/tesseract/testdata can be regenerated and checked (go generate in
// llm/tesseract runs ./cmd/gen).
//
// Render lays text out; a line starting with "# " is a bold heading and the
// text after a tab is right-aligned. Degrade and Noisy add scan noise,
// Rotate turns an image with bilinear sampling, and EncodePNG encodes the
// result. Invoice, NoisyReceipt and Letter are the ready-made documents the
// tests and the document-analysis example use; each carries its ground
// truth text.
package testimages

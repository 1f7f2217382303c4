// Package testpdf writes small deterministic PDF files for tests: pages
// of text in a standard Type 1 font (a real text layer) and pages that
// are only an image (a scan without a text layer), with a hand-written
// PDF 1.4 writer of a hundred lines.
//
// Build is a pure function of its pages: no dates, no random IDs, Flate
// compression at a fixed level, so the files under retrieval/pdf/testdata
// can be regenerated and compared byte for byte (go generate in
// retrieval/pdf runs ./cmd/gen). Text, Scanned and Mixed are the
// ready-made samples; their lines are the ground truth.
package testpdf

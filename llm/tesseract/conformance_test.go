package tesseract_test

import (
	"os/exec"
	"testing"

	"github.com/chorus-go/chorus/llm/conformance"
	"github.com/chorus-go/chorus/llm/tesseract"
)

// TestConformance runs the OCR conformance kit on the Engine, with the
// rendered documents of testdata.
func TestConformance(t *testing.T) {
	if _, err := exec.LookPath("tesseract"); err != nil {
		t.Skip("tesseract not on PATH: install tesseract-ocr and tesseract-ocr-eng (make test does it)")
	}
	eng, err := tesseract.New()
	if err != nil {
		t.Fatal(err)
	}
	conformance.TestOCR(t, eng, []conformance.OCRCase{
		{Name: "invoice", Image: readImage(t, "invoice"), WantContains: []string{"Invoice number: INV-2041", "Total due: 1,234.50 EUR"}},
		{Name: "letter", Image: readImage(t, "letter"), WantContains: []string{"Dear Ms Smith,", "Yours sincerely,"}},
	}, conformance.Concurrency(2))
}

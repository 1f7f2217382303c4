package testpdf_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/internal/testpdf"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestDeterministic(t *testing.T) {
	for _, s := range testpdf.Samples() {
		a, b := s.PDF(), s.PDF()
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between builds", s.Name)
		}
		if !bytes.HasPrefix(a, []byte("%PDF-1.4\n")) || !bytes.HasSuffix(a, []byte("%%EOF\n")) {
			t.Errorf("%s: not framed as a PDF", s.Name)
		}
	}
}

func TestCrossReferenceOffsets(t *testing.T) {
	data := testpdf.Text().PDF()
	xref := bytes.LastIndex(data, []byte("xref\n"))
	lines := strings.Split(string(data[xref:]), "\n")
	for i, l := range lines[3:] {
		if !strings.HasSuffix(l, " n ") {
			break
		}
		var off int
		fmt.Sscanf(l, "%d", &off)
		if want := fmt.Sprintf("%d 0 obj", i+1); !bytes.HasPrefix(data[off:], []byte(want)) {
			t.Errorf("object %d: offset %d points at %q", i+1, off, data[off:off+10])
		}
	}
}

// Build a one-page PDF with a text layer.
func ExampleBuild() {
	data := testpdf.Build([]testpdf.Page{{Lines: []string{"# Hello", "A line of text."}}})
	fmt.Println(string(data[:8]), len(data) > 500)
	// Output: %PDF-1.4 true
}

package tesseract_test

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/chorus-go/chorus/internal/testimages"
)

// TestTestdataUpToDate checks that the committed images are what the
// generator makes (go generate ./llm/tesseract rewrites them), and small.
// Font rasterising is floating-point, so a few pixels may differ slightly
// on other CPU architectures.
func TestTestdataUpToDate(t *testing.T) {
	for _, d := range testimages.Documents() {
		t.Run(d.Name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", d.Name+".png"))
			if err != nil {
				t.Fatal(err)
			}
			if len(data) >= 150<<10 {
				t.Errorf("%s.png is %d bytes, want under 150 KB", d.Name, len(data))
			}
			committed, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			fresh := d.Image()
			if committed.Bounds() != fresh.Bounds() {
				t.Fatalf("committed image is %v, generator makes %v: run go generate ./llm/tesseract", committed.Bounds(), fresh.Bounds())
			}
			g, ok := committed.(*image.Gray)
			if !ok {
				t.Fatalf("committed image is %T, want *image.Gray", committed)
			}
			off := 0
			for i := range g.Pix {
				if d := int(g.Pix[i]) - int(fresh.Pix[i]); d > 8 || d < -8 {
					off++
				}
			}
			if off > len(g.Pix)/1000 {
				t.Errorf("%d of %d pixels differ from the generator's: run go generate ./llm/tesseract", off, len(g.Pix))
			}
			truth, err := os.ReadFile(filepath.Join("testdata", d.Name+".gt.txt"))
			if err != nil {
				t.Fatal(err)
			}
			if string(truth) != d.Text()+"\n" {
				t.Errorf("%s.gt.txt differs from the generator's text: run go generate ./llm/tesseract", d.Name)
			}
		})
	}
}

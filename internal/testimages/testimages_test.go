package testimages_test

import (
	"bytes"
	"image"
	"image/png"
	"testing"

	"github.com/chorus-go/chorus/internal/testimages"
)

func TestRenderDeterministic(t *testing.T) {
	for _, d := range testimages.Documents() {
		a, b := d.Image(), d.Image()
		if a.Bounds() != b.Bounds() || !bytes.Equal(a.Pix, b.Pix) {
			t.Errorf("%s: two renderings differ", d.Name)
		}
	}
}

func TestRenderLayout(t *testing.T) {
	opts := testimages.Options{Size: 12, DPI: 100, Margin: 10}
	one := testimages.Render([]string{"Hello"}, opts)
	two := testimages.Render([]string{"Hello", "World"}, opts)
	if two.Bounds().Dy() <= one.Bounds().Dy() {
		t.Errorf("two lines (%v) are not taller than one (%v)", two.Bounds(), one.Bounds())
	}
	heading := testimages.Render([]string{"# Hello"}, opts)
	if heading.Bounds().Dx() <= one.Bounds().Dx() || heading.Bounds().Dy() <= one.Bounds().Dy() {
		t.Errorf("heading %v is not larger than body text %v", heading.Bounds(), one.Bounds())
	}
	// A tab right-aligns: with a fixed width, the amount ends at the right
	// margin.
	wide := testimages.Render([]string{"Total\t12.00"}, testimages.Options{Size: 12, DPI: 100, Margin: 10, Width: 400})
	if wide.Bounds().Dx() != 400 {
		t.Fatalf("width %d, want 400", wide.Bounds().Dx())
	}
	right := rightmostInk(wide)
	if right < 400-10-4 || right >= 400-10+1 {
		t.Errorf("rightmost ink at x=%d, want just left of the margin at %d", right, 400-10)
	}
	// Margins stay white.
	for x := 0; x < 10; x++ {
		for y := 0; y < wide.Bounds().Dy(); y++ {
			if wide.GrayAt(x, y).Y != 255 {
				t.Fatalf("ink in the left margin at (%d, %d)", x, y)
			}
		}
	}
}

func rightmostInk(img *image.Gray) int {
	right := -1
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if img.GrayAt(x, y).Y < 128 && x > right {
				right = x
			}
		}
	}
	return right
}

func whitePage(w, h int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	return img
}

func TestRotate(t *testing.T) {
	img := whitePage(40, 20)
	img.Pix[5*img.Stride+35] = 0 // near the top right corner

	same := testimages.Rotate(img, 0)
	if same.Bounds() != img.Bounds() || !bytes.Equal(same.Pix, img.Pix) {
		t.Error("Rotate by 0 changed the image")
	}

	// Counter-clockwise by 90°: the top right corner goes to the top left.
	r := testimages.Rotate(img, 90)
	if r.Bounds() != image.Rect(0, 0, 20, 40) {
		t.Fatalf("bounds %v, want 20×40", r.Bounds())
	}
	if v := r.GrayAt(5, 4).Y; v > 64 {
		t.Errorf("pixel (5, 4) = %d, want the black dot", v)
	}
	if n := countBelow(r, 128); n != 1 {
		t.Errorf("%d dark pixels after a right-angle turn, want 1", n)
	}

	// A small angle grows the canvas a little and leaves white corners.
	page := testimages.Render([]string{"Hello, world"}, testimages.Options{})
	s := testimages.Rotate(page, 2)
	if s.Bounds().Dx() <= page.Bounds().Dx() || s.Bounds().Dy() <= page.Bounds().Dy() {
		t.Errorf("rotated bounds %v not larger than %v", s.Bounds(), page.Bounds())
	}
	if s.GrayAt(0, 0).Y != 255 || s.GrayAt(s.Bounds().Dx()-1, s.Bounds().Dy()-1).Y != 255 {
		t.Error("corners uncovered by the rotation are not white")
	}
	if countBelow(s, 128) == 0 {
		t.Error("the text disappeared")
	}
	// Odd angles do not panic.
	for _, deg := range []float64{-2, 180, 360, 1e9} {
		testimages.Rotate(page, deg)
	}
}

func countBelow(img *image.Gray, level uint8) int {
	n := 0
	for _, p := range img.Pix {
		if p < level {
			n++
		}
	}
	return n
}

func TestNoise(t *testing.T) {
	page := testimages.Render(testimages.Letter().Lines, testimages.Options{})
	orig := bytes.Clone(page.Pix)
	a, b := testimages.Noisy(page, 1), testimages.Noisy(page, 1)
	if !bytes.Equal(a.Pix, b.Pix) {
		t.Error("the same seed gave different noise")
	}
	if c := testimages.Noisy(page, 2); bytes.Equal(a.Pix, c.Pix) {
		t.Error("different seeds gave the same noise")
	}
	if !bytes.Equal(page.Pix, orig) {
		t.Error("Noisy changed its input")
	}
	if d := testimages.Degrade(page, testimages.Noise{Seed: 9}); !bytes.Equal(d.Pix, page.Pix) {
		t.Error("Degrade with no damage changed the pixels")
	}

	// Salt and pepper alone: about the fraction asked for, half each.
	blank := whitePage(200, 200)
	sp := testimages.Degrade(blank, testimages.Noise{Seed: 3, SaltPepper: 0.1})
	black := countBelow(sp, 1)
	if frac := float64(black) / float64(len(sp.Pix)); frac < 0.04 || frac > 0.06 {
		t.Errorf("pepper fraction %.3f, want about 0.05", frac)
	}
	// Paper shading darkens white, never below 1-depth.
	shaded := testimages.Degrade(blank, testimages.Noise{Seed: 3, Paper: 0.3})
	lo, hi := 255, 0
	for _, p := range shaded.Pix {
		lo, hi = min(lo, int(p)), max(hi, int(p))
	}
	if lo < 177 || lo == hi {
		t.Errorf("shaded page ranges %d..%d, want uneven and not below 178", lo, hi)
	}
}

func TestEncodePNG(t *testing.T) {
	img := testimages.Invoice().Image()
	data, err := testimages.EncodePNG(img)
	if err != nil {
		t.Fatal(err)
	}
	back, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	g, ok := back.(*image.Gray)
	if !ok || !bytes.Equal(g.Pix, img.Pix) {
		t.Errorf("decoded %T differs from the encoded image", back)
	}
}

func TestDocumentText(t *testing.T) {
	d := testimages.Document{Lines: []string{"# Title", "", "Item  A\t1.00", "  "}}
	if got, want := d.Text(), "Title\nItem A 1.00"; got != want {
		t.Errorf("Text() = %q, want %q", got, want)
	}
	for _, d := range testimages.Documents() {
		if d.Name == "" || d.Text() == "" {
			t.Errorf("document %+v has no name or text", d)
		}
	}
}

package testimages

import (
	"image"
	"math"
)

// Rotate returns img turned by degrees about its centre, counter-clockwise
// as seen on screen for positive angles. The canvas grows to hold the whole
// turned page; the corners it uncovers are white. Pixels are sampled
// bilinearly, so edges stay smooth as on a real scan.
func Rotate(img *image.Gray, degrees float64) *image.Gray {
	b := img.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	if b.Empty() || math.IsNaN(degrees) || math.IsInf(degrees, 0) {
		return cloneGray(img)
	}
	theta := degrees * math.Pi / 180
	sin, cos := math.Sincos(theta)
	ow := int(math.Ceil(math.Abs(w*cos) + math.Abs(h*sin) - 1e-9))
	oh := int(math.Ceil(math.Abs(w*sin) + math.Abs(h*cos) - 1e-9))
	out := image.NewGray(image.Rect(0, 0, ow, oh))

	scx, scy := w/2, h/2
	ocx, ocy := float64(ow)/2, float64(oh)/2
	for y := 0; y < oh; y++ {
		dy := float64(y) + 0.5 - ocy
		row := out.Pix[y*out.Stride : y*out.Stride+ow]
		for x := range row {
			dx := float64(x) + 0.5 - ocx
			// Inverse rotation: where in the source this pixel comes from.
			sx := dx*cos - dy*sin + scx
			sy := dx*sin + dy*cos + scy
			row[x] = bilinear(img, sx-0.5, sy-0.5)
		}
	}
	return out
}

// bilinear samples img at (x, y) relative to its top-left pixel centre;
// outside the image the page is white.
func bilinear(img *image.Gray, x, y float64) uint8 {
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := x-x0, y-y0
	ix, iy := int(x0), int(y0)
	p00 := pixelAt(img, ix, iy)
	p10 := pixelAt(img, ix+1, iy)
	p01 := pixelAt(img, ix, iy+1)
	p11 := pixelAt(img, ix+1, iy+1)
	top := p00 + (p10-p00)*fx
	bottom := p01 + (p11-p01)*fx
	return clamp8(top + (bottom-top)*fy)
}

// pixelAt returns the pixel at (x, y) counted from the image's top-left
// corner, or white outside the image.
func pixelAt(img *image.Gray, x, y int) float64 {
	b := img.Bounds()
	if x < 0 || y < 0 || x >= b.Dx() || y >= b.Dy() {
		return 255
	}
	return float64(img.Pix[y*img.Stride+x])
}

func clamp8(v float64) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}

// cloneGray copies img into a new image whose bounds start at (0, 0).
func cloneGray(img *image.Gray) *image.Gray {
	b := img.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		copy(out.Pix[y*out.Stride:y*out.Stride+b.Dx()], img.Pix[img.PixOffset(b.Min.X, b.Min.Y+y):])
	}
	return out
}

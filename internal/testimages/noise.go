package testimages

import (
	"image"
	"math"
	"math/rand/v2"
)

// Noise describes how Degrade spoils a clean page. Zero fields leave that
// kind of damage out.
type Noise struct {
	// Seed makes the damage reproducible: the same seed gives the same
	// pixels.
	Seed uint64
	// Paper darkens the page unevenly, as yellowed paper or uneven
	// lighting do: at most this fraction of the brightness (0.25 turns
	// white into light grey at the darkest spot).
	Paper float64
	// Blur is the standard deviation, in pixels, of a Gaussian blur (a
	// scanner slightly out of focus); 0.5 to 1 is realistic.
	Blur float64
	// SaltPepper is the fraction of pixels replaced by pure black or pure
	// white specks (dust and sensor noise); 0.01 is a dirty scan.
	SaltPepper float64
}

// Noisy returns a copy of img degraded like a cheap scan: uneven paper,
// a slight blur and 0.8% salt-and-pepper specks, reproducibly from seed.
func Noisy(img *image.Gray, seed uint64) *image.Gray {
	return Degrade(img, Noise{Seed: seed, Paper: 0.22, Blur: 0.7, SaltPepper: 0.008})
}

// Degrade returns a copy of img damaged as n says: paper shading first,
// then the blur, then the specks, as light goes through a scanner.
func Degrade(img *image.Gray, n Noise) *image.Gray {
	out := cloneGray(img)
	rng := rand.New(rand.NewPCG(n.Seed, 0x9e3779b97f4a7c15))
	if n.Paper > 0 {
		shadePaper(out, rng, math.Min(n.Paper, 1))
	}
	if n.Blur > 0 {
		out = gaussianBlur(out, n.Blur)
	}
	if n.SaltPepper > 0 {
		saltPepper(out, rng, math.Min(n.SaltPepper, 1))
	}
	return out
}

// shadePaper multiplies the page by a smooth random brightness field: a
// gradient across the page plus a few broad blotches.
func shadePaper(img *image.Gray, rng *rand.Rand, depth float64) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	angle := rng.Float64() * 2 * math.Pi
	gx, gy := math.Cos(angle), math.Sin(angle)
	type blob struct{ x, y, r float64 }
	blobs := make([]blob, 3)
	diag := math.Hypot(float64(w), float64(h))
	for i := range blobs {
		blobs[i] = blob{rng.Float64() * float64(w), rng.Float64() * float64(h), diag * (0.15 + 0.25*rng.Float64())}
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x), float64(y)
			// Gradient in [0, 1] along a random direction.
			g := ((fx-float64(w)/2)*gx+(fy-float64(h)/2)*gy)/diag + 0.5
			s := 0.0
			for _, b := range blobs {
				d := math.Hypot(fx-b.x, fy-b.y) / b.r
				s += math.Exp(-d * d)
			}
			shade := 0.6*g + 0.4*math.Min(s, 1)
			i := y*img.Stride + x
			img.Pix[i] = clamp8(float64(img.Pix[i]) * (1 - depth*shade))
		}
	}
}

// gaussianBlur blurs img with a separable Gaussian kernel of standard
// deviation sigma, repeating the edge pixels.
func gaussianBlur(img *image.Gray, sigma float64) *image.Gray {
	r := int(math.Ceil(3 * sigma))
	k := make([]float64, 2*r+1)
	sum := 0.0
	for i := range k {
		d := float64(i - r)
		k[i] = math.Exp(-d * d / (2 * sigma * sigma))
		sum += k[i]
	}
	for i := range k {
		k[i] /= sum
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	tmp := make([]float64, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := 0.0
			for i, kv := range k {
				xx := min(max(x+i-r, 0), w-1)
				v += kv * float64(img.Pix[y*img.Stride+xx])
			}
			tmp[y*w+x] = v
		}
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := 0.0
			for i, kv := range k {
				yy := min(max(y+i-r, 0), h-1)
				v += kv * tmp[yy*w+x]
			}
			out.Pix[y*out.Stride+x] = clamp8(v)
		}
	}
	return out
}

// saltPepper sets a fraction p of the pixels to black or white.
func saltPepper(img *image.Gray, rng *rand.Rand, p float64) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			r := rng.Float64()
			switch {
			case r < p/2:
				img.Pix[y*img.Stride+x] = 0
			case r < p:
				img.Pix[y*img.Stride+x] = 255
			}
		}
	}
}

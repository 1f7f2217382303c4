package pdf

import "testing"

func TestRenderDPI(t *testing.T) {
	for _, c := range []struct {
		dpi, max int
		w, h     float64
		want     int
	}{
		{300, DefaultMaxPixels, 612, 792, 300},    // US Letter: 8.4 Mpx
		{300, DefaultMaxPixels, 1191, 1684, 300},  // A2: 34.8 Mpx
		{300, DefaultMaxPixels, 14400, 14400, 31}, // 200 in square: capped
		{300, 1_000_000, 612, 792, 103},           // small cap
		{300, DefaultMaxPixels, 1e9, 1e9, 1},      // absurd page: 1 DPI, never 0
	} {
		got := renderDPI(c.dpi, c.max, c.w, c.h)
		if got != c.want {
			t.Errorf("renderDPI(%d, %d, %v, %v) = %d, want %d", c.dpi, c.max, c.w, c.h, got, c.want)
		}
		if px := c.w * c.h * float64(got*got) / (72 * 72); got > 1 && px > float64(c.max)*1.01 {
			t.Errorf("%v×%v at %d DPI is %.0f pixels", c.w, c.h, got, px)
		}
	}
}

package eval

import (
	"time"

	"github.com/chorus-go/chorus/chain"
)

// DriftOption configures a drift monitor.
type DriftOption func(*driftConfig)

type driftConfig struct {
	window     int
	maxAge     time.Duration
	minSamples int
	z          float64
	stdRatio   float64
	missingTol float64
	onAlert    func(Alert)
	clock      chain.Clock
	maxUnseen  int
}

// Window sets how many of the latest inputs the checks look at (default
// 1000). It panics if n < 2.
func Window(n int) DriftOption {
	if n < 2 {
		panic(configError("Window", "window must hold at least 2 inputs, got %d", n))
	}
	return func(c *driftConfig) { c.window = n }
}

// WindowDuration also drops inputs older than d from the window, so a
// quiet service is judged on recent traffic only. It panics if d <= 0.
func WindowDuration(d time.Duration) DriftOption {
	if d <= 0 {
		panic(configError("WindowDuration", "duration must be positive, got %v", d))
	}
	return func(c *driftConfig) { c.maxAge = d }
}

// MinSamples sets how many inputs the window must hold before the mean,
// standard deviation and missing-rate checks run (default 50, and never
// more than the Window). It panics if n < 2.
func MinSamples(n int) DriftOption {
	if n < 2 {
		panic(configError("MinSamples", "need at least 2 samples, got %d", n))
	}
	return func(c *driftConfig) { c.minSamples = n }
}

// ZThreshold sets the z-score beyond which a numeric feature's window
// mean has drifted (default 4: a stable stream passes a single check with
// probability 0.99994). It panics if z <= 0.
func ZThreshold(z float64) DriftOption {
	if !(z > 0) {
		panic(configError("ZThreshold", "threshold must be positive, got %v", z))
	}
	return func(c *driftConfig) { c.z = z }
}

// StdRatio sets how many times larger (or smaller) than the reference's a
// window standard deviation may be before it has drifted (default 1.5).
// It panics if r <= 1.
func StdRatio(r float64) DriftOption {
	if !(r > 1) {
		panic(configError("StdRatio", "ratio must be above 1, got %v", r))
	}
	return func(c *driftConfig) { c.stdRatio = r }
}

// MissingTolerance sets how far above its reference missing rate a
// feature's window missing rate may rise (default 0.05). It panics if t
// is outside [0, 1).
func MissingTolerance(t float64) DriftOption {
	if !(t >= 0 && t < 1) {
		panic(configError("MissingTolerance", "tolerance must be in [0, 1), got %v", t))
	}
	return func(c *driftConfig) { c.missingTol = t }
}

// OnAlert sets a function called with each alert, on the goroutine of the
// call that raised it, after the monitor's lock is released.
func OnAlert(f func(Alert)) DriftOption {
	return func(c *driftConfig) { c.onAlert = f }
}

// DriftClock sets the clock that stamps inputs and alerts (default: the
// real one). Tests pass a fake clock to drive WindowDuration.
func DriftClock(clk chain.Clock) DriftOption {
	if clk == nil {
		panic(configError("DriftClock", "nil clock"))
	}
	return func(c *driftConfig) { c.clock = clk }
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

package drift

import (
	"fmt"
	"time"

	"github.com/chorus-go/chorus/chain"
)

// Option configures a Monitor. An invalid value is not applied: NewMonitor
// reports it as an error matching chain.ErrConfig.
type Option func(*config)

type config struct {
	window     int
	maxAge     time.Duration
	minSamples int
	z          float64
	stdRatio   float64
	missingTol float64
	onAlert    func(Alert)
	clock      chain.Clock
	maxUnseen  int
	err        error // the first invalid option
}

// fail records the first invalid option.
func (c *config) fail(fn, format string, args ...any) {
	if c.err == nil {
		c.err = configError(fn, format, args...)
	}
}

func configError(fn, format string, args ...any) *chain.ConfigError {
	return &chain.ConfigError{Func: "drift." + fn, Reason: fmt.Sprintf(format, args...)}
}

// Window sets how many of the latest inputs the checks look at (default
// 1000). n must be at least 2.
func Window(n int) Option {
	return func(c *config) {
		if n < 2 {
			c.fail("Window", "window must hold at least 2 inputs, got %d", n)
			return
		}
		c.window = n
	}
}

// WindowDuration also drops inputs older than d from the window, so a
// quiet service is judged on recent traffic only. d must be positive.
func WindowDuration(d time.Duration) Option {
	return func(c *config) {
		if d <= 0 {
			c.fail("WindowDuration", "duration must be positive, got %v", d)
			return
		}
		c.maxAge = d
	}
}

// MinSamples sets how many inputs the window must hold before the mean,
// standard deviation and missing-rate checks run (default 50, and never
// more than the Window). n must be at least 2.
func MinSamples(n int) Option {
	return func(c *config) {
		if n < 2 {
			c.fail("MinSamples", "need at least 2 samples, got %d", n)
			return
		}
		c.minSamples = n
	}
}

// ZThreshold sets the z-score beyond which a numeric feature's window
// mean has drifted (default 4: a stable stream passes a single check with
// probability 0.99994). z must be positive.
func ZThreshold(z float64) Option {
	return func(c *config) {
		if !(z > 0) {
			c.fail("ZThreshold", "threshold must be positive, got %v", z)
			return
		}
		c.z = z
	}
}

// StdRatio sets how many times larger (or smaller) than the reference's a
// window standard deviation may be before it has drifted (default 1.5).
// r must be above 1.
func StdRatio(r float64) Option {
	return func(c *config) {
		if !(r > 1) {
			c.fail("StdRatio", "ratio must be above 1, got %v", r)
			return
		}
		c.stdRatio = r
	}
}

// MissingTolerance sets how far above its reference missing rate a
// feature's window missing rate may rise (default 0.05). t must be in
// [0, 1).
func MissingTolerance(t float64) Option {
	return func(c *config) {
		if !(t >= 0 && t < 1) {
			c.fail("MissingTolerance", "tolerance must be in [0, 1), got %v", t)
			return
		}
		c.missingTol = t
	}
}

// OnAlert sets a function called with each alert, on the goroutine of the
// call that raised it, after the monitor's lock is released.
func OnAlert(f func(Alert)) Option {
	return func(c *config) { c.onAlert = f }
}

// Clock sets the clock that stamps inputs and alerts (default: the real
// one). Tests pass a fake clock to drive WindowDuration. clk must not be
// nil.
func Clock(clk chain.Clock) Option {
	return func(c *config) {
		if clk == nil {
			c.fail("Clock", "nil clock")
			return
		}
		c.clock = clk
	}
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

package eval

import (
	"fmt"

	"github.com/chorus-go/chorus/chain"
)

// Option configures Evaluate, its variants, Collect, the Score functions
// and Compare. An invalid value is not applied: the function it is given
// to fails with an error matching chain.ErrConfig before it runs anything.
type Option func(*config)

type config struct {
	concurrency   int
	progress      func(done, total int)
	level         float64
	resamples     int
	seed          uint64
	errorsAsWrong bool
	alpha         float64
	name          string
	err           error // the first invalid option
}

// newConfig applies opts to the defaults and returns the first invalid
// option's error.
func newConfig(opts []Option) (config, error) {
	cfg := config{concurrency: 8, level: 0.95, resamples: 1000, seed: 1, alpha: 0.05}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	return cfg, cfg.err
}

// fail records the first invalid option.
func (c *config) fail(fn, format string, args ...any) {
	if c.err == nil {
		c.err = configError(fn, format, args...)
	}
}

func configError(fn, format string, args ...any) *chain.ConfigError {
	return &chain.ConfigError{Func: "eval." + fn, Reason: fmt.Sprintf(format, args...)}
}

// Concurrency sets how many examples run at once (default 8). n must be
// at least 1.
func Concurrency(n int) Option {
	return func(c *config) {
		if n < 1 {
			c.fail("Concurrency", "concurrency must be at least 1, got %d", n)
			return
		}
		c.concurrency = n
	}
}

// Progress sets a function called after each example with the number of
// examples done so far and the total. Calls are serialised and done rises
// by one each time, so the function may update a progress bar or send on
// a channel without locking.
func Progress(f func(done, total int)) Option {
	return func(c *config) { c.progress = f }
}

// Confidence sets the confidence level of every interval (default 0.95).
// level must be strictly between 0 and 1.
func Confidence(level float64) Option {
	return func(c *config) {
		if !(level > 0 && level < 1) {
			c.fail("Confidence", "level must be in (0, 1), got %v", level)
			return
		}
		c.level = level
	}
}

// Resamples sets the number of bootstrap resamples (default 1000). Zero
// turns the bootstrap off: metrics without a closed-form interval (F1,
// the macro averages, ROC-AUC, RMSE) then come without one (MethodNone).
// n must not be negative.
func Resamples(n int) Option {
	return func(c *config) {
		if n < 0 {
			c.fail("Resamples", "resamples must not be negative, got %d", n)
			return
		}
		c.resamples = n
	}
}

// Seed seeds the bootstrap's random source (default 1), so a report is
// reproducible: the same data and seed give the same intervals.
func Seed(seed uint64) Option {
	return func(c *config) { c.seed = seed }
}

// ErrorsAsWrong counts an example whose chain failed as a wrong answer:
// it lowers accuracy and the wanted class's recall (it is a false
// negative of no predicted class, so precision is unchanged). By default
// failed examples are left out of the quality metrics and reported only in
// Errors and ErrorRate. Compare always counts a failure as wrong.
func ErrorsAsWrong() Option {
	return func(c *config) { c.errorsAsWrong = true }
}

// Alpha sets the significance level of Compare's test (default 0.05).
// alpha must be strictly between 0 and 1.
func Alpha(alpha float64) Option {
	return func(c *config) {
		if !(alpha > 0 && alpha < 1) {
			c.fail("Alpha", "alpha must be in (0, 1), got %v", alpha)
			return
		}
		c.alpha = alpha
	}
}

// Name sets the name a report carries (default: the chain's node name,
// from chain.Describe).
func Name(name string) Option {
	return func(c *config) { c.name = name }
}

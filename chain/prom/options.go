package prom

import (
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/chorus-go/chorus/chain"
)

// Option configures a Hook or a collector. An invalid value is not
// applied: the constructor it is given to reports it as an error matching
// chain.ErrConfig.
type Option func(*config)

type config struct {
	namespace       string
	durationBuckets []float64
	batchBuckets    []float64
	constLabels     prometheus.Labels
	err             error // the first invalid option
}

// newConfig applies opts to the defaults and returns the first invalid
// option's error, as constructor fn's.
func newConfig(fn string, opts []Option) (config, error) {
	cfg := config{
		namespace:       "chorus",
		durationBuckets: prometheus.ExponentialBuckets(0.001, 2, 16), // 1ms to 33s
		batchBuckets:    prometheus.ExponentialBuckets(1, 2, 10),     // 1 to 512
	}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.err != nil {
		return cfg, &configError{fn, cfg.err}
	}
	return cfg, nil
}

func (c *config) fail(format string, args ...any) {
	if c.err == nil {
		c.err = fmt.Errorf(format, args...)
	}
}

// Namespace sets the prefix of every metric name (default "chorus"). It
// must be empty or a valid metric name (letters, digits, '_' and ':', not
// starting with a digit).
func Namespace(ns string) Option {
	return func(c *config) {
		if ns != "" && !metricName.MatchString(ns) {
			c.fail("Namespace: %q is not a valid metric name prefix", ns)
			return
		}
		c.namespace = ns
	}
}

var (
	metricName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
	labelName  = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
)

// DurationBuckets sets the buckets, in seconds, of the node duration
// histogram (default 1ms to 33s, doubling). They must be at least one
// number, in strictly increasing order.
func DurationBuckets(b []float64) Option {
	return func(c *config) {
		if err := checkBuckets(b); err != nil {
			c.fail("DurationBuckets: %w", err)
			return
		}
		c.durationBuckets = b
	}
}

// BatchBuckets sets the buckets of the batch size histogram (default 1 to
// 512, doubling). They must be at least one number, in strictly
// increasing order.
func BatchBuckets(b []float64) Option {
	return func(c *config) {
		if err := checkBuckets(b); err != nil {
			c.fail("BatchBuckets: %w", err)
			return
		}
		c.batchBuckets = b
	}
}

// ConstLabels adds labels with fixed values to every metric (a service
// name, a region). Their names must be valid label names that the
// metrics do not already use (node, kind, feature...): the constructor
// reports a clash.
func ConstLabels(l prometheus.Labels) Option {
	return func(c *config) {
		for _, name := range slices.Sorted(maps.Keys(l)) {
			if !labelName.MatchString(name) || strings.HasPrefix(name, "__") {
				c.fail("ConstLabels: %q is not a valid label name", name)
				return
			}
		}
		c.constLabels = l
	}
}

func checkBuckets(b []float64) error {
	if len(b) == 0 {
		return fmt.Errorf("no buckets")
	}
	for i, x := range b {
		if math.IsNaN(x) {
			return fmt.Errorf("bucket %d is NaN", i)
		}
		if i > 0 && x <= b[i-1] {
			return fmt.Errorf("buckets must be in strictly increasing order, got %v after %v", x, b[i-1])
		}
	}
	return nil
}

// check reports the descriptor errors of c (invalid metric or label
// names, a constant label that clashes with a variable one), which a
// Prometheus registry would otherwise report only when c is registered.
func check(fn string, c prometheus.Collector) error {
	if err := prometheus.NewRegistry().Register(c); err != nil {
		return &configError{fn, err}
	}
	return nil
}

// must returns v, or panics with err.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// configError is the error constructors return (and their Must forms
// panic with) on an invalid argument or option. It matches
// chain.ErrConfig and wraps the cause.
type configError struct {
	fn  string
	err error
}

func (e *configError) Error() string        { return "prom." + e.fn + ": " + e.err.Error() }
func (e *configError) Unwrap() error        { return e.err }
func (e *configError) Is(target error) bool { return target == chain.ErrConfig }

package prom_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/drift"
	"github.com/chorus-go/chorus/chain/prom"
	"github.com/chorus-go/chorus/chain/rollout"
)

// Every bad configuration is an error of each constructor that matches
// chain.ErrConfig and says what is wrong; the Must form panics with that
// same error, and chain.Build gives it back. No option panics by itself.
func TestConstructorConfigErrors(t *testing.T) {
	monitor := drift.MustMonitor(func(x float64) drift.Features { return drift.Features{} }, drift.Reference{})
	registry := rollout.NewRegistry[int, int]("model")
	shadow := rollout.MustShadow(chain.Identity[int](), chain.Identity[int](), func(rollout.ShadowResult[int, int]) {})
	defer shadow.Close()

	type ctor struct {
		new  func(...prom.Option) (any, error)
		must func(...prom.Option) any
	}
	ctors := map[string]ctor{
		"Hook": {
			func(o ...prom.Option) (any, error) { return prom.NewHook(o...) },
			func(o ...prom.Option) any { return prom.MustHook(o...) },
		},
		"DriftCollector": {
			func(o ...prom.Option) (any, error) { return prom.NewDriftCollector("m", monitor, o...) },
			func(o ...prom.Option) any { return prom.MustDriftCollector("m", monitor, o...) },
		},
		"ShadowCollector": {
			func(o ...prom.Option) (any, error) { return prom.NewShadowCollector("s", shadow, o...) },
			func(o ...prom.Option) any { return prom.MustShadowCollector("s", shadow, o...) },
		},
		"VersionCollector": {
			func(o ...prom.Option) (any, error) { return prom.NewVersionCollector("r", registry, o...) },
			func(o ...prom.Option) any { return prom.MustVersionCollector("r", registry, o...) },
		},
	}
	bad := []struct {
		name string
		opts []prom.Option
		want string
	}{
		{"duration buckets decreasing", []prom.Option{prom.DurationBuckets([]float64{1, 0.5})}, "DurationBuckets"},
		{"duration buckets empty", []prom.Option{prom.DurationBuckets(nil)}, "DurationBuckets: no buckets"},
		{"batch buckets NaN", []prom.Option{prom.BatchBuckets([]float64{1, math.NaN()})}, "BatchBuckets"},
		{"batch buckets repeated", []prom.Option{prom.BatchBuckets([]float64{1, 1})}, "BatchBuckets"},
		{"invalid label name", []prom.Option{prom.ConstLabels(prometheus.Labels{"__reserved": "x"})}, "__reserved"},
		{"invalid label value", []prom.Option{prom.ConstLabels(prometheus.Labels{"service": "\xff"})}, "not valid UTF-8"},
		{"invalid namespace", []prom.Option{prom.Namespace("\xff")}, "prom.New"},
	}
	for name, c := range ctors {
		for _, b := range bad {
			t.Run(name+"/"+b.name, func(t *testing.T) {
				v, err := c.new(b.opts...)
				if !errors.Is(err, chain.ErrConfig) {
					t.Fatalf("New%s = %v, %v; want an error matching chain.ErrConfig", name, v, err)
				}
				if !strings.Contains(err.Error(), b.want) || !strings.HasPrefix(err.Error(), "prom.New"+name+": ") {
					t.Errorf("error %q does not say prom.New%s and %q", err, name, b.want)
				}
				_, built := chain.Build(func() any { return c.must(b.opts...) })
				if built == nil || built.Error() != err.Error() || !errors.Is(built, chain.ErrConfig) {
					t.Errorf("Must%s panicked with %v, want %v", name, built, err)
				}
			})
		}
		if _, err := c.new(prom.Namespace("svc"), prom.ConstLabels(prometheus.Labels{"service": "docs"}), prom.DurationBuckets([]float64{0.1, 1})); err != nil {
			t.Errorf("New%s with valid options: %v", name, err)
		}
	}
}

func TestCollectorsRejectNilSource(t *testing.T) {
	for name, f := range map[string]func() error{
		"NewDriftCollector":   func() error { _, err := prom.NewDriftCollector("m", nil); return err },
		"NewShadowCollector":  func() error { _, err := prom.NewShadowCollector("s", nil); return err },
		"NewVersionCollector": func() error { _, err := prom.NewVersionCollector("r", nil); return err },
	} {
		if err := f(); !errors.Is(err, chain.ErrConfig) || !strings.Contains(err.Error(), "nil source") {
			t.Errorf("%s(nil) = %v, want a config error about the nil source", name, err)
		}
	}
	// A constant label that clashes with a collector's variable label is
	// reported by the constructor, not at registration.
	_, err := prom.NewDriftCollector("m", drift.MustMonitor(func(int) drift.Features { return drift.Features{} }, drift.Reference{}),
		prom.ConstLabels(prometheus.Labels{"monitor": "x"}))
	if !errors.Is(err, chain.ErrConfig) {
		t.Errorf("clashing constant label: %v, want a config error", err)
	}
}

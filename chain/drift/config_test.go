package drift_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/drift"
)

// Every bad configuration is an error of NewMonitor that matches
// chain.ErrConfig and names what is wrong; MustMonitor panics with that
// same error, and chain.Build gives it back. No option panics by itself.
func TestNewMonitorConfigErrors(t *testing.T) {
	x := func(v float64) drift.Features { return drift.Features{Numbers: map[string]float64{"x": v}} }
	ok := drift.Reference{Numbers: map[string]drift.NumberReference{"x": {Mean: 1, Std: 1}}}
	num := func(r drift.NumberReference) drift.Reference {
		return drift.Reference{Numbers: map[string]drift.NumberReference{"x": r}}
	}
	for _, tc := range []struct {
		name    string
		extract func(float64) drift.Features
		ref     drift.Reference
		opts    []drift.Option
		want    string
	}{
		{"nil extractor", nil, ok, nil, "nil extractor"},
		{"window 1", x, ok, []drift.Option{drift.Window(1)}, "drift.Window"},
		{"duration 0", x, ok, []drift.Option{drift.WindowDuration(0)}, "drift.WindowDuration"},
		{"min samples 1", x, ok, []drift.Option{drift.MinSamples(1)}, "drift.MinSamples"},
		{"z 0", x, ok, []drift.Option{drift.ZThreshold(0)}, "drift.ZThreshold"},
		{"z NaN", x, ok, []drift.Option{drift.ZThreshold(math.NaN())}, "drift.ZThreshold"},
		{"ratio 1", x, ok, []drift.Option{drift.StdRatio(1)}, "drift.StdRatio"},
		{"tolerance 1", x, ok, []drift.Option{drift.MissingTolerance(1)}, "drift.MissingTolerance"},
		{"tolerance negative", x, ok, []drift.Option{drift.MissingTolerance(-0.1)}, "drift.MissingTolerance"},
		{"nil clock", x, ok, []drift.Option{drift.Clock(nil)}, "drift.Clock"},
		{"first bad option reported", x, ok, []drift.Option{drift.Window(10), drift.MinSamples(0), drift.Window(0)}, "drift.MinSamples"},
		{"reference mean NaN", x, num(drift.NumberReference{Mean: math.NaN(), Std: 1}), nil, "reference mean"},
		{"reference std negative", x, num(drift.NumberReference{Std: -1}), nil, "reference std"},
		{"reference std infinite", x, num(drift.NumberReference{Std: math.Inf(1)}), nil, "reference std"},
		{"reference missing rate", x, num(drift.NumberReference{Std: 1, MissingRate: 1.5}), nil, "missing rate"},
		{"category missing rate", x, drift.Reference{Categories: map[string]drift.CategoryReference{"c": {MissingRate: -1}}}, nil, "missing rate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := drift.NewMonitor(tc.extract, tc.ref, tc.opts...)
			if !errors.Is(err, chain.ErrConfig) || m != nil {
				t.Fatalf("NewMonitor = %v, %v; want nil and an error matching chain.ErrConfig", m, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
			_, built := chain.Build(func() *drift.Monitor[float64] { return drift.MustMonitor(tc.extract, tc.ref, tc.opts...) })
			if built == nil || built.Error() != err.Error() || !errors.Is(built, chain.ErrConfig) {
				t.Errorf("MustMonitor panicked with %v, want %v", built, err)
			}
		})
	}
	if m, err := drift.NewMonitor(x, ok, drift.Window(2), drift.MinSamples(2), drift.MissingTolerance(0)); err != nil || m == nil {
		t.Errorf("NewMonitor with valid options = %v, %v", m, err)
	}
}

func TestWatchConfigErrors(t *testing.T) {
	m := drift.MustMonitor(func(int) drift.Features { return drift.Features{} }, drift.Reference{})
	for name, f := range map[string]func(){
		"nil chain":   func() { drift.Watch[int, int](nil, m) },
		"nil monitor": func() { drift.Watch[int, int](chain.Identity[int](), nil) },
	} {
		if _, err := chain.Build(func() int { f(); return 0 }); !errors.Is(err, chain.ErrConfig) {
			t.Errorf("%s: %v, want a config error", name, err)
		}
	}
}

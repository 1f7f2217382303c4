package prom_test

import (
	"context"
	"math"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/drift"
	"github.com/chorus-go/chorus/chain/prom"
	"github.com/chorus-go/chorus/chain/rollout"
)

type row struct {
	X float64
	C string
}

func TestDriftCollector(t *testing.T) {
	ref := drift.Reference{
		Numbers:    map[string]drift.NumberReference{"x": {Mean: 10, Std: 2}},
		Categories: map[string]drift.CategoryReference{"c": {Values: []string{"a", "b"}}},
	}
	m := drift.MustMonitor(func(r row) drift.Features {
		return drift.Features{Numbers: map[string]float64{"x": r.X}, Categories: map[string]string{"c": r.C}}
	}, ref, drift.MinSamples(2))
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(prom.MustDriftCollector("docs", m))
	h := prom.MustHook()
	reg.MustRegister(h)
	model := drift.Watch(chain.Pure(func(r row) string { return r.C }), m)
	ctx := chain.WithHooks(context.Background(), h)
	// x: 9 11 10 12 -> mean 10.5, std sqrt(5/3) = 1.290994, z = 0.5/(2/√4) = 0.5.
	// c: a, zz (unseen), missing, a -> missing 1/4 (alert: above 0 + 0.05),
	// unseen 1 of 3 present.
	for _, r := range []row{{9, "a"}, {11, "zz"}, {10, ""}, {12, "a"}} {
		if _, err := model.Run(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	labels := func(kv ...string) map[string]string {
		m := map[string]string{"monitor": "docs"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	want(t, reg, "chorus_drift_window_inputs", labels(), 4)
	want(t, reg, "chorus_drift_observed_total", labels(), 4)
	want(t, reg, "chorus_drift_feature_mean", labels("feature", "x"), 10.5)
	if v, _ := value(t, reg, "chorus_drift_feature_std", labels("feature", "x")); math.Abs(v-math.Sqrt(5.0/3)) > 1e-12 {
		t.Errorf("std = %g", v)
	}
	want(t, reg, "chorus_drift_feature_zscore", labels("feature", "x"), 0.5)
	want(t, reg, "chorus_drift_feature_reference_std", labels("feature", "x"), 2)
	want(t, reg, "chorus_drift_missing_ratio", labels("feature", "c"), 0.25)
	want(t, reg, "chorus_drift_missing_total", labels("feature", "c"), 1)
	want(t, reg, "chorus_drift_unseen_total", labels("feature", "c"), 1)
	if v, _ := value(t, reg, "chorus_drift_unseen_ratio", labels("feature", "c")); math.Abs(v-1.0/3) > 1e-12 {
		t.Errorf("unseen ratio = %g", v)
	}
	want(t, reg, "chorus_drift_alerts_total", labels("feature", "c", "rule", "unseen"), 1)
	want(t, reg, "chorus_drift_alerts_total", labels("feature", "c", "rule", "missing"), 1)
	want(t, reg, "chorus_drift_active", labels("feature", "c", "rule", "missing"), 1)
	want(t, reg, "chorus_drift_alerts_total", labels("feature", "x", "rule", "mean"), 0)
	want(t, reg, "chorus_drift_active", labels("feature", "x", "rule", "mean"), 0)
	// The same alerts reached the hook as drift events.
	want(t, reg, "chorus_events_total", map[string]string{"event": "drift", "name": "c/unseen"}, 1)
	want(t, reg, "chorus_events_total", map[string]string{"event": "drift", "name": "c/missing"}, 1)
	if problems, err := testutil.GatherAndLint(reg); err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %v", problems, err)
	}
}

func TestShadowAndVersionCollectors(t *testing.T) {
	ctx := context.Background()
	r := rollout.NewRegistry[int, int]("model")
	for _, v := range []string{"v1", "v2"} {
		if err := r.Register(v, chain.Identity[int]()); err != nil {
			t.Fatal(err)
		}
	}
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(prom.MustVersionCollector("classifier", r))
	if _, ok := value(t, reg, "chorus_model_version_info", nil); ok {
		t.Error("a version is reported before any promotion")
	}
	_ = r.Promote("v1")
	_ = r.Promote("v2")
	want(t, reg, "chorus_model_version_info", map[string]string{"registry": "classifier", "version": "v2"}, 1)
	want(t, reg, "chorus_model_version_changes_total", nil, 2)

	s := rollout.MustShadow[int, int](r, chain.Identity[int](), func(rollout.ShadowResult[int, int]) {})
	reg.MustRegister(prom.MustShadowCollector("v3-shadow", s))
	for i := range 5 {
		_, _ = s.Run(ctx, i)
	}
	s.Close()
	want(t, reg, "chorus_shadow_recorded_total", map[string]string{"shadow": "v3-shadow"}, float64(s.Recorded()))
	started, _ := value(t, reg, "chorus_shadow_started_total", nil)
	dropped, _ := value(t, reg, "chorus_shadow_dropped_total", nil)
	if started+dropped != 5 {
		t.Errorf("started %g + dropped %g, want 5", started, dropped)
	}
}

package prom_test

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// value gathers reg and returns the value of the metric named name whose
// labels include labels (a counter's or gauge's value, a histogram's
// sample count), and whether it was found.
func value(t *testing.T, reg prometheus.Gatherer, name string, labels map[string]string) (float64, bool) {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	metrics:
		for _, m := range f.GetMetric() {
			have := map[string]string{}
			for _, l := range m.GetLabel() {
				have[l.GetName()] = l.GetValue()
			}
			for k, v := range labels {
				if have[k] != v {
					continue metrics
				}
			}
			return metricValue(m), true
		}
	}
	return 0, false
}

func metricValue(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Histogram != nil:
		return float64(m.Histogram.GetSampleCount())
	}
	return 0
}

// want fails the test unless the metric exists with the given value.
func want(t *testing.T, reg prometheus.Gatherer, name string, labels map[string]string, v float64) {
	t.Helper()
	got, ok := value(t, reg, name, labels)
	if !ok {
		t.Errorf("no metric %s%v", name, labels)
		return
	}
	if got != v {
		t.Errorf("%s%v = %g, want %g", name, labels, got, v)
	}
}

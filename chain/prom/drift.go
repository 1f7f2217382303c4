package prom

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/chorus-go/chorus/chain/drift"
)

// DriftSource is what a DriftCollector reads: a *drift.Monitor of any
// input type.
type DriftSource interface {
	Snapshot() drift.Snapshot
}

// DriftCollector exports a drift monitor's state to Prometheus, read from
// its Snapshot at each scrape. Every metric has the label monitor (the
// name given to NewDriftCollector), and the per-feature ones the label
// feature:
//
//	chorus_drift_window_inputs                     inputs in the window
//	chorus_drift_observed_total                    inputs observed
//	chorus_drift_feature_mean{feature}             window mean (numeric)
//	chorus_drift_feature_std{feature}              window standard deviation
//	chorus_drift_feature_reference_mean{feature}   reference mean
//	chorus_drift_feature_reference_std{feature}    reference standard deviation
//	chorus_drift_feature_zscore{feature}           z-score of the window mean
//	chorus_drift_missing_ratio{feature}            window missing rate
//	chorus_drift_missing_total{feature}            inputs missing the feature
//	chorus_drift_unseen_ratio{feature}             window share of unseen categories
//	chorus_drift_unseen_total{feature}             inputs with an unseen category
//	chorus_drift_alerts_total{feature,rule}        alerts raised
//	chorus_drift_active{feature,rule}              1 while a check fails
type DriftCollector struct {
	src     DriftSource
	monitor string

	window, observed              *prometheus.Desc
	mean, std, refMean, refStd, z *prometheus.Desc
	missingRatio, missingTotal    *prometheus.Desc
	unseenRatio, unseenTotal      *prometheus.Desc
	alerts, active                *prometheus.Desc
}

// NewDriftCollector returns a collector of src's metrics, labelled
// monitor=name; register it on a registry. It fails, with an error
// matching chain.ErrConfig, on a nil source, an invalid option or names
// Prometheus rejects.
func NewDriftCollector(name string, src DriftSource, opts ...Option) (*DriftCollector, error) {
	if src == nil {
		return nil, &configError{"NewDriftCollector", errNilSource}
	}
	cfg, err := newConfig("NewDriftCollector", opts)
	if err != nil {
		return nil, err
	}
	desc := func(metric, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc(prometheus.BuildFQName(cfg.namespace, "drift", metric), help, append([]string{"monitor"}, labels...), cfg.constLabels)
	}
	c := &DriftCollector{
		src:          src,
		monitor:      name,
		window:       desc("window_inputs", "Inputs in the drift monitor's window."),
		observed:     desc("observed_total", "Inputs the drift monitor observed."),
		mean:         desc("feature_mean", "Window mean of a numeric feature.", "feature"),
		std:          desc("feature_std", "Window standard deviation of a numeric feature.", "feature"),
		refMean:      desc("feature_reference_mean", "Reference mean of a numeric feature.", "feature"),
		refStd:       desc("feature_reference_std", "Reference standard deviation of a numeric feature.", "feature"),
		z:            desc("feature_zscore", "z-score of a numeric feature's window mean against the reference.", "feature"),
		missingRatio: desc("missing_ratio", "Share of the window's inputs missing a feature.", "feature"),
		missingTotal: desc("missing_total", "Inputs that missed a feature.", "feature"),
		unseenRatio:  desc("unseen_ratio", "Share of a categorical feature's window values unseen in the reference.", "feature"),
		unseenTotal:  desc("unseen_total", "Inputs whose category the reference never had.", "feature"),
		alerts:       desc("alerts_total", "Drift alerts raised, by feature and rule.", "feature", "rule"),
		active:       desc("active", "1 while a drift check fails, else 0.", "feature", "rule"),
	}
	if err := check("NewDriftCollector", c); err != nil {
		return nil, err
	}
	return c, nil
}

// MustDriftCollector is NewDriftCollector that panics with its error
// instead of returning it (chain.Build turns the panic back into the
// error).
func MustDriftCollector(name string, src DriftSource, opts ...Option) *DriftCollector {
	return must(NewDriftCollector(name, src, opts...))
}

// Describe sends the descriptors of the collector's metrics.
func (c *DriftCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.window, c.observed, c.mean, c.std, c.refMean, c.refStd, c.z, c.missingRatio, c.missingTotal, c.unseenRatio, c.unseenTotal, c.alerts, c.active} {
		ch <- d
	}
}

// Collect reads a snapshot of the monitor and sends its metrics.
func (c *DriftCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.src.Snapshot()
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, append([]string{c.monitor}, labels...)...)
	}
	counter := func(d *prometheus.Desc, v uint64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), append([]string{c.monitor}, labels...)...)
	}
	rules := func(feature string, alerts map[drift.Rule]uint64, active []drift.Rule) {
		for rule, n := range alerts {
			counter(c.alerts, n, feature, string(rule))
			on := 0.0
			for _, a := range active {
				if a == rule {
					on = 1
				}
			}
			gauge(c.active, on, feature, string(rule))
		}
	}
	gauge(c.window, float64(s.Window))
	counter(c.observed, s.Observed)
	for _, f := range s.Numbers {
		gauge(c.mean, f.Mean, f.Feature)
		gauge(c.std, f.Std, f.Feature)
		gauge(c.refMean, f.Reference.Mean, f.Feature)
		gauge(c.refStd, f.Reference.Std, f.Feature)
		gauge(c.z, f.Z, f.Feature)
		gauge(c.missingRatio, f.MissingRate, f.Feature)
		counter(c.missingTotal, f.MissingTotal, f.Feature)
		rules(f.Feature, f.Alerts, f.Active)
	}
	for _, f := range s.Categories {
		gauge(c.missingRatio, f.MissingRate, f.Feature)
		counter(c.missingTotal, f.MissingTotal, f.Feature)
		gauge(c.unseenRatio, f.UnseenRate, f.Feature)
		counter(c.unseenTotal, f.UnseenTotal, f.Feature)
		rules(f.Feature, f.Alerts, f.Active)
	}
}

package prom

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/chorus-go/chorus/chain/eval"
)

// ShadowSource is what a ShadowCollector reads: an *eval.ShadowChain.
type ShadowSource interface {
	Stats() eval.ShadowStats
}

// ShadowCollector exports a shadow deployment's counters, labelled
// shadow=name:
//
//	chorus_shadow_started_total    challenger calls started
//	chorus_shadow_dropped_total    calls served without a challenger (saturated or closed)
//	chorus_shadow_recorded_total   results handed to the record function
type ShadowCollector struct {
	src                        ShadowSource
	name                       string
	started, dropped, recorded *prometheus.Desc
}

// NewShadowCollector returns a collector of src's counters; register it on
// a registry.
func NewShadowCollector(name string, src ShadowSource, opts ...Option) *ShadowCollector {
	if src == nil {
		panic("prom.NewShadowCollector: nil source")
	}
	cfg := newConfig(opts)
	desc := func(metric, help string) *prometheus.Desc {
		return prometheus.NewDesc(prometheus.BuildFQName(cfg.namespace, "shadow", metric), help, []string{"shadow"}, cfg.constLabels)
	}
	return &ShadowCollector{
		src:      src,
		name:     name,
		started:  desc("started_total", "Challenger calls started in the background."),
		dropped:  desc("dropped_total", "Calls served without a challenger because every slot was busy or the shadow was closed."),
		recorded: desc("recorded_total", "Champion and challenger results recorded."),
	}
}

// Describe sends the descriptors of the collector's metrics.
func (c *ShadowCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.started
	ch <- c.dropped
	ch <- c.recorded
}

// Collect sends the current counts.
func (c *ShadowCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.src.Stats()
	ch <- prometheus.MustNewConstMetric(c.started, prometheus.CounterValue, float64(s.Started), c.name)
	ch <- prometheus.MustNewConstMetric(c.dropped, prometheus.CounterValue, float64(s.Dropped), c.name)
	ch <- prometheus.MustNewConstMetric(c.recorded, prometheus.CounterValue, float64(s.Recorded), c.name)
}

// VersionSource is what a VersionCollector reads: an *eval.Registry.
type VersionSource interface {
	Current() (string, bool)
	History() []eval.Change
}

// VersionCollector exports which version of a model a registry serves,
// labelled registry=name, so dashboards can mark promotions and
// rollbacks:
//
//	chorus_model_version_info{version}     1 for the current version
//	chorus_model_version_changes_total     promotions and rollbacks
type VersionCollector struct {
	src           VersionSource
	name          string
	info, changes *prometheus.Desc
}

// NewVersionCollector returns a collector of src's current version;
// register it on a registry.
func NewVersionCollector(name string, src VersionSource, opts ...Option) *VersionCollector {
	if src == nil {
		panic("prom.NewVersionCollector: nil source")
	}
	cfg := newConfig(opts)
	return &VersionCollector{
		src:     src,
		name:    name,
		info:    prometheus.NewDesc(prometheus.BuildFQName(cfg.namespace, "model", "version_info"), "The version a model registry serves (value 1).", []string{"registry", "version"}, cfg.constLabels),
		changes: prometheus.NewDesc(prometheus.BuildFQName(cfg.namespace, "model", "version_changes_total"), "Promotions and rollbacks of a model registry.", []string{"registry"}, cfg.constLabels),
	}
}

// Describe sends the descriptors of the collector's metrics.
func (c *VersionCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.info
	ch <- c.changes
}

// Collect sends the current version and the number of changes.
func (c *VersionCollector) Collect(ch chan<- prometheus.Metric) {
	if v, ok := c.src.Current(); ok {
		ch <- prometheus.MustNewConstMetric(c.info, prometheus.GaugeValue, 1, c.name, v)
	}
	ch <- prometheus.MustNewConstMetric(c.changes, prometheus.CounterValue, float64(len(c.src.History())), c.name)
}

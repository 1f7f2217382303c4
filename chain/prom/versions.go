package prom

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

var errNilSource = errors.New("nil source")

// ShadowSource is what a ShadowCollector reads: a *rollout.Shadow, or
// anything else that counts background runs the same way.
type ShadowSource interface {
	Started() uint64  // challenger calls started
	Dropped() uint64  // calls served without a challenger
	Recorded() uint64 // results handed to the record function
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
// a registry. It fails, with an error matching chain.ErrConfig, on a nil
// source, an invalid option or names Prometheus rejects.
func NewShadowCollector(name string, src ShadowSource, opts ...Option) (*ShadowCollector, error) {
	if src == nil {
		return nil, &configError{"NewShadowCollector", errNilSource}
	}
	cfg, err := newConfig("NewShadowCollector", opts)
	if err != nil {
		return nil, err
	}
	desc := func(metric, help string) *prometheus.Desc {
		return prometheus.NewDesc(prometheus.BuildFQName(cfg.namespace, "shadow", metric), help, []string{"shadow"}, cfg.constLabels)
	}
	c := &ShadowCollector{
		src:      src,
		name:     name,
		started:  desc("started_total", "Challenger calls started in the background."),
		dropped:  desc("dropped_total", "Calls served without a challenger because every slot was busy or the shadow was closed."),
		recorded: desc("recorded_total", "Champion and challenger results recorded."),
	}
	if err := check("NewShadowCollector", c); err != nil {
		return nil, err
	}
	return c, nil
}

// MustShadowCollector is NewShadowCollector that panics with its error
// instead of returning it (chain.Build turns the panic back into the
// error).
func MustShadowCollector(name string, src ShadowSource, opts ...Option) *ShadowCollector {
	return must(NewShadowCollector(name, src, opts...))
}

// Describe sends the descriptors of the collector's metrics.
func (c *ShadowCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.started
	ch <- c.dropped
	ch <- c.recorded
}

// Collect sends the current counts.
func (c *ShadowCollector) Collect(ch chan<- prometheus.Metric) {
	ch <- prometheus.MustNewConstMetric(c.started, prometheus.CounterValue, float64(c.src.Started()), c.name)
	ch <- prometheus.MustNewConstMetric(c.dropped, prometheus.CounterValue, float64(c.src.Dropped()), c.name)
	ch <- prometheus.MustNewConstMetric(c.recorded, prometheus.CounterValue, float64(c.src.Recorded()), c.name)
}

// VersionSource is what a VersionCollector reads: a *rollout.Registry,
// or anything else that serves one version at a time.
type VersionSource interface {
	Current() (version string, ok bool) // the version served, if any
	Changes() int                       // promotions and rollbacks so far
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
// register it on a registry. It fails, with an error matching
// chain.ErrConfig, on a nil source, an invalid option or names Prometheus
// rejects.
func NewVersionCollector(name string, src VersionSource, opts ...Option) (*VersionCollector, error) {
	if src == nil {
		return nil, &configError{"NewVersionCollector", errNilSource}
	}
	cfg, err := newConfig("NewVersionCollector", opts)
	if err != nil {
		return nil, err
	}
	c := &VersionCollector{
		src:     src,
		name:    name,
		info:    prometheus.NewDesc(prometheus.BuildFQName(cfg.namespace, "model", "version_info"), "The version a model registry serves (value 1).", []string{"registry", "version"}, cfg.constLabels),
		changes: prometheus.NewDesc(prometheus.BuildFQName(cfg.namespace, "model", "version_changes_total"), "Promotions and rollbacks of a model registry.", []string{"registry"}, cfg.constLabels),
	}
	if err := check("NewVersionCollector", c); err != nil {
		return nil, err
	}
	return c, nil
}

// MustVersionCollector is NewVersionCollector that panics with its error
// instead of returning it (chain.Build turns the panic back into the
// error).
func MustVersionCollector(name string, src VersionSource, opts ...Option) *VersionCollector {
	return must(NewVersionCollector(name, src, opts...))
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
	ch <- prometheus.MustNewConstMetric(c.changes, prometheus.CounterValue, float64(c.src.Changes()), c.name)
}

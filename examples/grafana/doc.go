// Package grafana holds a Grafana dashboard of the metrics chain/prom
// exports (per-node latency percentiles, calls, errors by reason,
// retries, breaker states, tokens, batch sizes, fallbacks, drift alerts,
// model versions and shadow traffic), with Grafana provisioning files
// (a Prometheus datasource and a dashboard provider) and a Prometheus
// scrape configuration for docanalysis -serve's /metrics:
//
//	dashboards/chorus.json                  the dashboard (uid chorus-nodes)
//	provisioning/datasources/prometheus.yaml  Prometheus at $PROMETHEUS_URL
//	provisioning/dashboards/chorus.yaml     loads $CHORUS_DASHBOARDS/*.json
//	prometheus.yml                          scrapes localhost:8080/metrics
//	compose.yaml                            Prometheus and Grafana in Docker
//
// Its tests check that every metric the dashboard's queries use is one
// chain/prom exports, with the labels it has.
package grafana

import (
	"bytes"
	_ "embed" // the dashboard
)

//go:embed dashboards/chorus.json
var dashboard []byte

// Dashboard returns the dashboard's JSON, as Grafana imports it (a copy:
// change it freely).
func Dashboard() []byte { return bytes.Clone(dashboard) }

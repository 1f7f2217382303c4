// Package prom exports Chorus chains' metrics to Prometheus.
//
// Hook is a chain.Hook that records, per node of a running chain, the
// call durations, in-flight calls and errors by reason, and from the
// nodes' events the retries, circuit breaker states, model tokens and
// batch sizes. DriftCollector exports an eval.DriftMonitor's window
// statistics and alert counters; ShadowCollector and VersionCollector
// export a shadow deployment's counters and the version a registry
// serves. Each is a prometheus.Collector: register it on the registry you
// serve.
//
// The chain package itself imports no Prometheus code: only programs that
// import this package compile it.
package prom

// Package prom exports Chorus chains' metrics to Prometheus.
//
//	hook, err := prom.NewHook() // or prom.MustHook()
//	if err != nil {
//		return err
//	}
//	reg := prometheus.NewRegistry()
//	reg.MustRegister(hook)
//	ctx = chain.WithHooks(ctx, hook) // every node run under ctx is measured
//	http.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
//
// (Example runs it, with MustHook, and reads the registry back.) Hook
// is a chain.Hook that records, per node of a running chain, the
// call durations, in-flight calls and errors by reason, and from the
// nodes' events the retries, circuit breaker states, model tokens and
// batch sizes. DriftCollector exports a drift.Monitor's window statistics
// and alert counters; ShadowCollector and VersionCollector export a
// rollout.Shadow's counters and the version a rollout.Registry serves.
// Each is a prometheus.Collector: register it on the registry you serve.
//
// The collectors read their sources through small interfaces defined
// here (DriftSource, ShadowSource, VersionSource). Of the other Chorus
// packages this one imports chain and chain/drift only, whose Snapshot
// type DriftSource names; chain/eval and chain/rollout are not compiled
// into a program for its sake.
//
// Every constructor reports an invalid option, a nil source, or metric and
// label names Prometheus would reject at registration as an error matching
// chain.ErrConfig; its Must form panics with that error instead. The
// chain package itself imports no Prometheus code: only programs that
// import this package compile it.
package prom

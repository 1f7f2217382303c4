// Package drift watches a model's live inputs for drift from the data it
// was built on:
//
//	monitor, err := drift.NewMonitor(features, ref, drift.Window(500),
//		drift.OnAlert(func(a drift.Alert) { log.Print(a) }))
//	if err != nil {
//		return err // a bad option or reference: errors.Is(err, chain.ErrConfig)
//	}
//	model = drift.Watch(model, monitor) // answers unchanged; inputs observed
//
// (Example runs it.) A Monitor tracks, over a sliding window of the latest inputs (Window,
// WindowDuration), each feature's missing rate, the mean and standard
// deviation of numeric features against a Reference, and categories the
// reference never had. Features extracts the monitored features of one
// input; ReferenceFrom builds the Reference from the training or
// validation inputs, or it is written down (it marshals to JSON).
//
// A check raises an Alert when it starts failing, once, not on every
// input: alerts go to OnAlert and, as EventAlert events, to the hooks of
// the calls' context. Snapshot returns the window's statistics and the
// running totals; chain/prom's DriftCollector exports them to Prometheus.
//
// NewMonitor reports every invalid option or reference as an error
// matching chain.ErrConfig; MustMonitor panics with it instead.
package drift

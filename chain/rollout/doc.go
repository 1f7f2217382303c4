// Package rollout brings a new model version into service: in the shadow
// of the current one, on a share of the traffic, or by promotion in a
// registry that keeps every version and rolls back in one step.
//
//	models := rollout.NewRegistry[string, Label]("classifier")
//	_ = models.Register("v1", v1)
//	_ = models.Register("v2", v2)
//	_ = models.Promote("v1")
//	label, err := models.Run(ctx, text) // the registry is a chain: v1 answers
//	_ = models.Promote("v2")            // the next call runs v2
//	_, err = models.Rollback()          // back to v1, atomically
//
// (ExampleRegistry runs it.) NewShadow serves the champion while the challenger runs on the same
// input in the background (bounded, with its own timeout, never slowing
// the caller, drained by Close) and records both outcomes as
// eval.Outcome values, ready for chain/eval's scoring. NewSplit sends
// traffic to arms by weight, by a key's hash or at random: a canary or an
// A/B test. A Registry keeps every version of a model under a name and
// serves the current one; Promote and Rollback switch versions atomically
// under live traffic, and History lists the switches. To decide whether a
// challenger is better before promoting it, use eval.Compare.
//
// NewShadow and NewSplit report invalid arguments and options as errors
// matching chain.ErrConfig; MustShadow and MustSplit panic with them
// instead. chain/prom's ShadowCollector and VersionCollector export a
// Shadow's counters and the version a Registry serves to Prometheus.
package rollout

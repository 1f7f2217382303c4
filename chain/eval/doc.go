// Package eval measures and operates the models a chain composes: it
// evaluates any chain.Chain on a labelled dataset, compares a challenger
// with the champion, keeps model versions, and watches live inputs for
// drift.
//
// Evaluation. Evaluate runs a classifier over []Example (Input, Want) with
// bounded concurrency and Progress, and returns a Report: accuracy,
// precision, recall and F1 per class with their macro and micro averages,
// the confusion matrix, the error rate (a failing example is counted, never
// fatal) and the latency. Every metric is an Estimate with a confidence
// interval: Wilson for proportions, Student's t for means, and a seeded
// percentile Bootstrap for the rest (F1, macro averages, ROC-AUC, RMSE), so
// the same data and Seed give the same report. EvaluateScored adds ROC-AUC
// for a classifier that scores the positive class (Threshold adapts a
// chain that returns a score), EvaluateNumbers reports MAE, RMSE and bias,
// and EvaluateVote scores a chain.Vote and each of its members from the
// same run, side by side. A Report marshals to JSON with stable field
// names and prints as a text table. Collect and the Score functions are
// the same machinery in two halves, for outcomes gathered elsewhere.
// ReadExamples loads a dataset from JSON or JSON Lines and HoldOut sets
// part of one aside for testing.
//
// Champion and challenger. Shadow serves the champion while the
// challenger runs on the same input in the background (bounded, with its
// own timeout, never slowing the caller, drained by Close); Split sends
// traffic to arms by weight, by a key's hash or at random; Compare and
// CompareNumbers run both models on one dataset and decide with a paired
// test (McNemar's exact test, the Wilcoxon signed-rank test) whether the
// challenger is better, worse, or not significantly different.
//
// Versions. A Registry keeps every version of a model and is itself a
// chain that serves the current one; Promote and Rollback switch versions
// atomically under live traffic.
//
// Input monitoring. A DriftMonitor tracks, over a sliding window, each
// feature's missing rate, the mean and standard deviation of numeric
// features against a Reference, and categories the reference never had;
// Monitor wraps a chain with it. Alerts go to a callback and, as
// EventDrift events, to the chain's hooks; Snapshot feeds chain/prom's
// Prometheus collector.
package eval

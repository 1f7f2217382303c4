// Package eval measures the models a chain composes: it evaluates any
// chain.Chain on a labelled dataset, with a confidence interval on every
// metric, and decides with a paired test whether a challenger beats the
// champion.
//
//	data := []eval.Example[string, string]{{Input: "Total due 120 EUR", Want: "invoice"}, …}
//	report, err := eval.Evaluate(ctx, classify, data, eval.Seed(7))
//	if err != nil {
//		return err
//	}
//	fmt.Print(report) // accuracy, precision, recall, F1 with 95% CIs, confusion matrix
//
// (Example runs it.) Evaluation. Evaluate runs a classifier over []Example (Input, Want) with
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
// the same machinery in two halves, for outcomes gathered elsewhere (a
// chain/rollout Shadow records eval.Outcome values). ReadExamples loads a
// dataset from JSON or JSON Lines and HoldOut sets part of one aside for
// testing.
//
// Champion and challenger. Compare and CompareNumbers run both models on
// one dataset and decide with a paired test (McNemar's exact test, the
// Wilcoxon signed-rank test) whether the challenger is better, worse, or
// not significantly different; McNemar and WilcoxonSignedRank are exported
// for pairs counted elsewhere.
//
// An invalid option makes the function it is given to fail, before it
// runs anything, with an error matching chain.ErrConfig.
//
// Bringing a model into service (shadow traffic, traffic splits, a
// version registry with rollback) is package chain/rollout's business;
// watching live inputs for drift is chain/drift's.
package eval

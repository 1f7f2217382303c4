package eval_test

import (
	"errors"
	"math"
	"testing"

	"github.com/chorus-go/chorus/chain/eval"
)

// near fails the test unless got is within tol of want.
func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol || math.IsNaN(got) {
		t.Errorf("%s = %.6f, want %.6f (±%g)", what, got, want, tol)
	}
}

// ordered fails the test unless lower <= value <= upper.
func ordered(t *testing.T, what string, e eval.Estimate) {
	t.Helper()
	if !(e.Lower <= e.Value && e.Value <= e.Upper) {
		t.Errorf("%s: not lower <= value <= upper: %v", what, e)
	}
}

// allEstimates returns every estimate of a report, named.
func allEstimates(r *eval.Report) map[string]eval.Estimate {
	m := map[string]eval.Estimate{"error rate": r.ErrorRate}
	if c := r.Classification; c != nil {
		m["accuracy"] = c.Accuracy
		m["precision macro"], m["precision micro"] = c.Precision.Macro, c.Precision.Micro
		m["recall macro"], m["recall micro"] = c.Recall.Macro, c.Recall.Micro
		m["f1 macro"], m["f1 micro"] = c.F1.Macro, c.F1.Micro
		for _, k := range c.Classes {
			m[k.Label+" precision"], m[k.Label+" recall"], m[k.Label+" f1"] = k.Precision, k.Recall, k.F1
		}
		if c.ROCAUC != nil {
			m["roc auc"] = *c.ROCAUC
		}
	}
	if g := r.Regression; g != nil {
		m["mae"], m["rmse"], m["bias"] = g.MAE, g.RMSE, g.Bias
	}
	if r.Agreement != nil {
		m["agreement"] = *r.Agreement
	}
	return m
}

var errTest = errors.New("test failure")

package drift

import (
	"fmt"
	"time"

	"github.com/chorus-go/chorus/chain"
)

// EventAlert is the kind of the chain.Event a drift monitor emits when it
// raises an alert. The event's Name is "feature/rule", its Size the number
// of inputs in the window, and its Err the *Alert (errors.As).
const EventAlert chain.EventKind = "drift"

// Rule names a drift check.
type Rule string

// The drift checks.
const (
	// RuleMean: the window mean of a numeric feature is more than
	// ZThreshold standard errors from the reference mean:
	// |mean - ref.Mean| / (ref.Std/√n) > z.
	RuleMean Rule = "mean"
	// RuleStd: the window standard deviation of a numeric feature is more
	// than StdRatio times the reference's, or less than 1/StdRatio times.
	RuleStd Rule = "std"
	// RuleMissing: a feature is missing from more of the window's inputs
	// than its reference missing rate plus MissingTolerance.
	RuleMissing Rule = "missing"
	// RuleUnseen: a categorical feature took a value the reference never
	// had. It fires once per distinct value.
	RuleUnseen Rule = "unseen"
)

var rules = [...]Rule{RuleMean, RuleStd, RuleMissing, RuleUnseen}

// ruleIndex returns r's place in rules.
func ruleIndex(r Rule) int {
	switch r {
	case RuleMean:
		return 0
	case RuleStd:
		return 1
	case RuleMissing:
		return 2
	}
	return 3
}

// Alert is raised when a check starts failing. Value is the window's
// statistic (mean, standard deviation, missing rate; for RuleUnseen the
// number of unseen values in the window), Reference the reference's, and
// Score how far apart they are (the z-score, the ratio of standard
// deviations, the excess missing rate). Category is the unseen value.
// Window is the number of inputs in the window. An Alert is an error so
// that it can travel in a chain.Event's Err.
type Alert struct {
	Feature   string    `json:"feature"`
	Rule      Rule      `json:"rule"`
	Value     float64   `json:"value"`
	Reference float64   `json:"reference"`
	Score     float64   `json:"score"`
	Category  string    `json:"category,omitempty"`
	Window    int       `json:"window"`
	At        time.Time `json:"at"`
}

// Error describes the alert.
func (a *Alert) Error() string {
	switch a.Rule {
	case RuleMean:
		return fmt.Sprintf("drift: %s: mean %.4g vs reference %.4g (z = %.3g, n = %d)", a.Feature, a.Value, a.Reference, a.Score, a.Window)
	case RuleStd:
		return fmt.Sprintf("drift: %s: std %.4g vs reference %.4g (ratio %.3g, n = %d)", a.Feature, a.Value, a.Reference, a.Score, a.Window)
	case RuleMissing:
		return fmt.Sprintf("drift: %s: missing in %.1f%% of inputs vs %.1f%% in reference (n = %d)", a.Feature, 100*a.Value, 100*a.Reference, a.Window)
	case RuleUnseen:
		return fmt.Sprintf("drift: %s: unseen category %q (n = %d)", a.Feature, a.Category, a.Window)
	}
	return fmt.Sprintf("drift: %s: %s", a.Feature, a.Rule)
}

package eval

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is the result of an evaluation: how many examples ran, how many
// failed, how fast they were, and the quality metrics of the task,
// Classification or Regression. A vote's report has one report per member
// in Members, scored from the same run, and the mean agreement.
//
// A Report marshals to JSON with stable snake_case field names (every
// number finite) and prints as a text table (String, WriteText).
type Report struct {
	Name     string `json:"name,omitempty"`
	Examples int    `json:"examples"`
	Answered int    `json:"answered"`
	Errors   int    `json:"errors"`
	// ErrorRate is Errors/Examples with its Wilson interval.
	ErrorRate Estimate `json:"error_rate"`
	// FirstErrors holds up to three distinct error messages, in the order
	// of the examples.
	FirstErrors []string `json:"first_errors,omitempty"`
	Latency     Latency  `json:"latency"`

	Classification *Classification `json:"classification,omitempty"`
	Regression     *Regression     `json:"regression,omitempty"`

	// Agreement is the mean agreement of a vote's verdicts (t interval).
	Agreement *Estimate `json:"agreement,omitempty"`
	Members   []*Report `json:"members,omitempty"`
}

// Latency summarises how long the calls took, failed ones included.
type Latency struct {
	Mean time.Duration `json:"mean_ns"`
	P50  time.Duration `json:"p50_ns"`
	P95  time.Duration `json:"p95_ns"`
	Max  time.Duration `json:"max_ns"`
}

func newReport[O any](got []Outcome[O], cfg config) *Report {
	r := &Report{Examples: len(got)}
	lat := make([]float64, len(got))
	var sum float64
	for i, o := range got {
		lat[i] = float64(o.Latency)
		sum += lat[i]
		if o.Err == nil {
			continue
		}
		r.Errors++
		if msg := o.Err.Error(); len(r.FirstErrors) < 3 && !slices.Contains(r.FirstErrors, msg) {
			r.FirstErrors = append(r.FirstErrors, msg)
		}
	}
	r.Answered = r.Examples - r.Errors
	r.ErrorRate = Wilson(r.Errors, r.Examples, cfg.level)
	if len(lat) > 0 {
		slices.Sort(lat)
		r.Latency = Latency{
			Mean: time.Duration(sum / float64(len(lat))),
			P50:  time.Duration(quantileSorted(lat, 0.5)),
			P95:  time.Duration(quantileSorted(lat, 0.95)),
			Max:  time.Duration(lat[len(lat)-1]),
		}
	}
	return r
}

// String returns the report as text; see WriteText.
func (r *Report) String() string {
	var b strings.Builder
	_ = r.WriteText(&b)
	return b.String()
}

// WriteText writes the report as aligned text tables: a summary line, the
// latency (left out when it is zero), the metrics with their intervals,
// the per-class metrics and the confusion matrix, and for a vote a table
// comparing the ensemble with each member.
func (r *Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	name := r.Name
	if name == "" {
		name = "report"
	}
	fmt.Fprintf(tw, "%s: %d examples, %d answered, %d %s (error rate %s)\n", name, r.Examples, r.Answered, r.Errors, plural(r.Errors, "error", "errors"), r.ErrorRate)
	for _, e := range r.FirstErrors {
		fmt.Fprintf(tw, "  error: %s\n", e)
	}
	if r.Latency != (Latency{}) {
		fmt.Fprintf(tw, "latency: mean %v, p50 %v, p95 %v, max %v\n", round(r.Latency.Mean), round(r.Latency.P50), round(r.Latency.P95), round(r.Latency.Max))
	}
	level := r.ErrorRate.Level
	fmt.Fprintf(tw, "\nmetric\tvalue\t%g%% CI\tmethod\n", 100*level)
	row := func(label string, e Estimate) {
		fmt.Fprintf(tw, "%s\t%.3f\t[%.3f, %.3f]\t%s\n", label, e.Value, e.Lower, e.Upper, e.Method)
	}
	if c := r.Classification; c != nil {
		row("accuracy", c.Accuracy)
		row("precision (macro)", c.Precision.Macro)
		row("recall (macro)", c.Recall.Macro)
		row("F1 (macro)", c.F1.Macro)
		row("precision (micro)", c.Precision.Micro)
		row("recall (micro)", c.Recall.Micro)
		row("F1 (micro)", c.F1.Micro)
		if c.ROCAUC != nil {
			row("ROC-AUC ("+c.Positive+")", *c.ROCAUC)
		}
	}
	if g := r.Regression; g != nil {
		row("MAE", g.MAE)
		row("RMSE", g.RMSE)
		row("bias", g.Bias)
	}
	if r.Agreement != nil {
		row("agreement", *r.Agreement)
	}
	if c := r.Classification; c != nil {
		fmt.Fprintf(tw, "\nclass\tsupport\tpredicted\tprecision\trecall\tF1\n")
		for _, m := range c.Classes {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\n", m.Label, m.Support, m.Predicted, m.Precision, m.Recall, m.F1)
		}
		fmt.Fprintf(tw, "\nconfusion (rows: want, columns: got)\n")
		fmt.Fprintf(tw, "want \\ got\t%s\t(error)\n", strings.Join(c.Confusion.Labels, "\t"))
		for i, l := range c.Confusion.Labels {
			fmt.Fprintf(tw, "%s", l)
			for _, n := range c.Confusion.Counts[i] {
				fmt.Fprintf(tw, "\t%d", n)
			}
			fmt.Fprintf(tw, "\t%d\n", c.Confusion.Errors[i])
		}
	}
	if len(r.Members) > 0 {
		r.writeMembers(tw)
	}
	return tw.Flush()
}

// writeMembers compares a vote with its members, in one table.
func (r *Report) writeMembers(tw *tabwriter.Writer) {
	fmt.Fprintf(tw, "\nmember\t")
	switch {
	case r.Classification != nil:
		fmt.Fprintf(tw, "accuracy\tF1 (macro)\terrors\n")
	case r.Regression != nil:
		fmt.Fprintf(tw, "MAE\tRMSE\terrors\n")
	default:
		fmt.Fprintf(tw, "errors\n")
	}
	line := func(name string, m *Report) {
		fmt.Fprintf(tw, "%s\t", name)
		switch {
		case m.Classification != nil:
			fmt.Fprintf(tw, "%s\t%s\t", m.Classification.Accuracy, m.Classification.F1.Macro)
		case m.Regression != nil:
			fmt.Fprintf(tw, "%s\t%s\t", m.Regression.MAE, m.Regression.RMSE)
		}
		fmt.Fprintf(tw, "%d\n", m.Errors)
	}
	line("(vote)", r)
	for _, m := range r.Members {
		line(m.Name, m)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// round shortens a duration for display.
func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	case d >= time.Microsecond:
		return d.Round(10 * time.Nanosecond)
	}
	return d
}

package prom_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/drift"
	"github.com/chorus-go/chorus/chain/prom"
)

// Record the metrics of every node of a chain: register the hook on a
// Prometheus registry (served by promhttp.HandlerFor in a real program)
// and install it in the context the chain runs under.
func Example() {
	reg := prometheus.NewRegistry()
	hook := prom.MustHook()
	reg.MustRegister(hook)
	ctx := chain.WithHooks(context.Background(), hook)

	classify := chain.Named("classify", chain.Fn(func(ctx context.Context, text string) (string, error) {
		if text == "" {
			return "", errors.New("empty document")
		}
		chain.Emit(ctx, chain.Event{Kind: chain.EventTokens, InputTokens: len(text), OutputTokens: 1})
		return "invoice", nil
	}))
	for _, doc := range []string{"total due", "", "amount"} {
		_, _ = classify.Run(ctx, doc)
	}

	families, _ := reg.Gather()
	for _, f := range families {
		for _, m := range f.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+"="+l.GetValue())
			}
			switch {
			case m.Counter != nil:
				fmt.Printf("%s{%s} %g\n", f.GetName(), strings.Join(labels, ","), m.Counter.GetValue())
			case m.Histogram != nil:
				fmt.Printf("%s_count{%s} %d\n", f.GetName(), strings.Join(labels, ","), m.Histogram.GetSampleCount())
			}
		}
	}
	// Output:
	// chorus_events_total{event=tokens,name=,node=classify} 2
	// chorus_node_duration_seconds_count{kind=func,node=classify} 3
	// chorus_node_errors_total{kind=func,node=classify,reason=error} 1
	// chorus_tokens_total{direction=input,node=classify} 15
	// chorus_tokens_total{direction=output,node=classify} 2
}

// Export a drift monitor's statistics: the collector reads the monitor's
// Snapshot at each scrape.
func ExampleNewDriftCollector() {
	ref := drift.Reference{Numbers: map[string]drift.NumberReference{"amount": {Mean: 100, Std: 10}}}
	monitor := drift.MustMonitor(func(x float64) drift.Features {
		return drift.Features{Numbers: map[string]float64{"amount": x}}
	}, ref)
	collector, err := prom.NewDriftCollector("invoices", monitor)
	if err != nil {
		fmt.Println(err)
		return
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collector)
	for _, x := range []float64{90, 110, 100} {
		monitor.Observe(context.Background(), x)
	}
	families, _ := reg.Gather()
	for _, f := range families {
		if f.GetName() == "chorus_drift_feature_mean" || f.GetName() == "chorus_drift_observed_total" {
			m := f.GetMetric()[0]
			fmt.Println(f.GetName(), m.GetGauge().GetValue()+m.GetCounter().GetValue())
		}
	}
	// Output:
	// chorus_drift_feature_mean 100
	// chorus_drift_observed_total 3
}

package drift_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/drift"
)

// Watch a model's inputs for drift from the data it was built on.
func Example() {
	type invoice struct {
		Amount   float64
		Currency string
	}
	features := func(in invoice) drift.Features {
		return drift.Features{
			Numbers:    map[string]float64{"amount": in.Amount},
			Categories: map[string]string{"currency": in.Currency},
		}
	}
	ref := drift.Reference{
		Numbers:    map[string]drift.NumberReference{"amount": {Mean: 100, Std: 6}},
		Categories: map[string]drift.CategoryReference{"currency": {Values: []string{"EUR", "USD"}}},
	}
	monitor, err := drift.NewMonitor(features, ref, drift.Window(100), drift.MinSamples(20),
		drift.OnAlert(func(a drift.Alert) { fmt.Println(a.Error()) }))
	if err != nil {
		fmt.Println(err)
		return
	}
	model := drift.Watch(chain.Pure(func(in invoice) string { return "ok" }), monitor)

	ctx := context.Background()
	for i := range 100 { // amounts around 100, in euros
		_, _ = model.Run(ctx, invoice{Amount: 90 + float64(i%21), Currency: "EUR"})
	}
	_, _ = model.Run(ctx, invoice{Amount: 100, Currency: "GBP"})
	for i := range 50 { // amounts jump to around 160
		_, _ = model.Run(ctx, invoice{Amount: 150 + float64(i%21), Currency: "EUR"})
	}
	// Output:
	// drift: currency: unseen category "GBP" (n = 100)
	// drift: amount: std 9.156 vs reference 6 (ratio 1.53, n = 100)
	// drift: amount: mean 102.7 vs reference 100 (z = 4.42, n = 100)
}

// A bad option is an error of the constructor, never a panic: a
// *chain.ConfigError that matches chain.ErrConfig.
func ExampleNewMonitor_badOption() {
	features := func(x float64) drift.Features { return drift.Features{Numbers: map[string]float64{"x": x}} }
	_, err := drift.NewMonitor(features, drift.Reference{}, drift.Window(1))
	var ce *chain.ConfigError
	if errors.As(err, &ce) {
		fmt.Printf("%s: %s (config error: %t)\n", ce.Func, ce.Reason, errors.Is(err, chain.ErrConfig))
	}
	// Output:
	// drift.Window: window must hold at least 2 inputs, got 1 (config error: true)
}

package otel_test

import (
	"context"
	"fmt"
	"strings"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/chorus-go/chorus/chain"
	chainotel "github.com/chorus-go/chorus/chain/otel"
)

func Example() {
	// In a program the provider exports to a collector; here it records.
	recorder := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(recorder))
	defer tp.Shutdown(context.Background())

	analyse := chain.Named("analyse", chain.Then(
		chain.Named("ocr", chain.Pure(strings.TrimSpace)),
		chain.Named("classify", chain.Pure(strings.ToUpper)),
	))
	ctx := chain.WithHooks(context.Background(), chainotel.New(chainotel.WithTracerProvider(tp)))
	out, _ := analyse.Run(ctx, "  invoice ")
	fmt.Println(out)

	names := map[string]string{} // span ID -> name
	for _, s := range recorder.Ended() {
		names[s.SpanContext().SpanID().String()] = s.Name()
	}
	for _, s := range recorder.Ended() {
		parent := names[s.Parent().SpanID().String()]
		fmt.Printf("%s (parent %q)\n", s.Name(), parent)
	}
	// Output:
	// INVOICE
	// ocr (parent "analyse")
	// classify (parent "analyse")
	// analyse (parent "")
}

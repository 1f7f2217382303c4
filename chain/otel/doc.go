// Package otel traces chains with OpenTelemetry: New returns a chain.Hook
// that opens a span for every node a chain runs, so a request's trace
// shows the inference graph as it ran — which stage, which vote member,
// which route, which retry — with its timing and errors.
//
//	ctx = chain.WithHooks(ctx, otel.New()) // spans go to the global TracerProvider
//	out, err := analyse.Run(ctx, doc)     // one span per node: analyse, ocr, classify
//
// (Example runs it, with WithTracerProvider and a span recorder.)
//
// Install the hook on a call's context with chain.WithHooks (or
// serve.WithCallHooks for an HTTP endpoint). Each node's span is a child of
// the span in the context it starts under, so a chain called inside an
// HTTP server span nests under it. Spans are named after the node and
// carry its path, name and kind (AttrNodePath, AttrNodeName,
// AttrNodeKind) and, when it ends, its duration (AttrDuration); a failed
// node records its error and sets the span's status to Error. Retries,
// breaker changes, fallbacks, batches, token usage and routes become span
// events with their details; token counts also add up on the span
// (AttrInputTokens, AttrOutputTokens).
//
// This package's name is that of go.opentelemetry.io/otel; import one of
// them under another name when a file needs both.
package otel

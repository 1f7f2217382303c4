package otel

import (
	"go.opentelemetry.io/otel/attribute"

	"github.com/chorus-go/chorus/chain"
)

// The attributes of node spans.
const (
	// AttrNodePath is the node's path from the outermost named node,
	// "analyse/classify/gpt".
	AttrNodePath = attribute.Key("chorus.node.path")
	// AttrNodeName is the node's own name.
	AttrNodeName = attribute.Key("chorus.node.name")
	// AttrNodeKind is the node's kind: "sequence", "vote", "retry", ...
	AttrNodeKind = attribute.Key("chorus.node.kind")
	// AttrDuration is how long the node took, in milliseconds, as the
	// chain measured it.
	AttrDuration = attribute.Key("chorus.node.duration_ms")
	// AttrErrorType is the Go type of a failed node's error, or of the
	// error an event reports.
	AttrErrorType = attribute.Key("error.type")
	// AttrErrorMessage is the text of the error an event reports.
	AttrErrorMessage = attribute.Key("error.message")
	// AttrInputTokens and AttrOutputTokens count the tokens models
	// reported inside the node (on the span, the running total; on a
	// tokens event, that report's).
	AttrInputTokens  = attribute.Key("gen_ai.usage.input_tokens")
	AttrOutputTokens = attribute.Key("gen_ai.usage.output_tokens")
)

// The attributes of span events.
const (
	// EventPrefix starts the name of every span event: "chorus.retry",
	// "chorus.breaker", "chorus.fallback", "chorus.batch",
	// "chorus.tokens", "chorus.route".
	EventPrefix = "chorus."
	// AttrAttempt is the attempt that failed, on a retry event.
	AttrAttempt = attribute.Key("chorus.retry.attempt")
	// AttrDelay is the wait before the next attempt, in milliseconds.
	AttrDelay = attribute.Key("chorus.retry.delay_ms")
	// AttrBreakerFrom and AttrBreakerTo are a breaker's old and new state.
	AttrBreakerFrom = attribute.Key("chorus.breaker.from")
	AttrBreakerTo   = attribute.Key("chorus.breaker.to")
	// AttrIndex is the alternative that answered, on a fallback event.
	AttrIndex = attribute.Key("chorus.fallback.index")
	// AttrBatchSize is the number of items of a batched call.
	AttrBatchSize = attribute.Key("chorus.batch.size")
	// AttrEventName is an event's Name: the route picked, the fallback
	// alternative that answered, the node that emitted it.
	AttrEventName = attribute.Key("chorus.event.name")
)

// eventAttributes turns an event's fields that matter for its kind into
// attributes.
func eventAttributes(e chain.Event) []attribute.KeyValue {
	attrs := make([]attribute.KeyValue, 0, 5)
	if e.Name != "" {
		attrs = append(attrs, AttrEventName.String(e.Name))
	}
	switch e.Kind {
	case chain.EventRetry:
		attrs = append(attrs, AttrAttempt.Int(e.Attempt), AttrDelay.Float64(float64(e.Delay.Nanoseconds())/1e6))
	case chain.EventBreaker:
		attrs = append(attrs, AttrBreakerFrom.String(e.From.String()), AttrBreakerTo.String(e.To.String()))
	case chain.EventFallback:
		attrs = append(attrs, AttrIndex.Int(e.Index))
	case chain.EventBatch:
		attrs = append(attrs, AttrBatchSize.Int(e.Size))
	case chain.EventTokens:
		attrs = append(attrs, AttrInputTokens.Int(e.InputTokens), AttrOutputTokens.Int(e.OutputTokens))
	}
	if e.Err != nil {
		attrs = append(attrs, AttrErrorType.String(errorType(e.Err)), AttrErrorMessage.String(e.Err.Error()))
	}
	return attrs
}

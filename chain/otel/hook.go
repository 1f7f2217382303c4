package otel

import (
	"context"
	"fmt"
	"sync"

	otelapi "go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/chorus-go/chorus/chain"
)

// ScopeName is the instrumentation scope of the tracer New gets from a
// TracerProvider.
const ScopeName = "github.com/chorus-go/chorus/chain/otel"

// Option configures New.
type Option func(*config)

type config struct {
	provider trace.TracerProvider
	tracer   trace.Tracer
	attrs    []attribute.KeyValue
}

// WithTracerProvider sets the provider New gets its tracer from (default
// otel.GetTracerProvider(), the global one, read when New is called).
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) { c.provider = tp }
}

// WithTracer sets the tracer itself; it wins over WithTracerProvider.
func WithTracer(t trace.Tracer) Option {
	return func(c *config) { c.tracer = t }
}

// WithAttributes adds attributes to every span the hook starts, such as
// the name of the service or of the deployment.
func WithAttributes(attrs ...attribute.KeyValue) Option {
	return func(c *config) { c.attrs = append(c.attrs, attrs...) }
}

// New returns a chain.Hook that traces every node with an OpenTelemetry
// span.
func New(opts ...Option) chain.Hook {
	var cfg config
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.tracer == nil {
		if cfg.provider == nil {
			cfg.provider = otelapi.GetTracerProvider()
		}
		cfg.tracer = cfg.provider.Tracer(ScopeName)
	}
	return &hook{tracer: cfg.tracer, attrs: cfg.attrs}
}

type hook struct {
	tracer trace.Tracer
	attrs  []attribute.KeyValue
}

// spanKey finds, in a node's context, the span this hook started for it,
// whatever spans other hooks put there after it.
type spanKey struct{ h *hook }

// nodeSpan is a node's span and the token counts reported inside it.
type nodeSpan struct {
	span trace.Span

	mu            sync.Mutex
	input, output int64
}

// Start opens the node's span as a child of the span in ctx.
func (h *hook) Start(ctx context.Context, n chain.NodeInfo) context.Context {
	name := n.Name
	if name == "" {
		name = string(n.Kind)
	}
	attrs := make([]attribute.KeyValue, 0, 3+len(h.attrs))
	attrs = append(attrs, AttrNodePath.String(n.Path), AttrNodeName.String(n.Name), AttrNodeKind.String(string(n.Kind)))
	attrs = append(attrs, h.attrs...)
	ctx, span := h.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindInternal), trace.WithAttributes(attrs...))
	return context.WithValue(ctx, spanKey{h}, &nodeSpan{span: span})
}

// End records the node's duration and error, and ends its span.
func (h *hook) End(ctx context.Context, n chain.NodeInfo, r chain.NodeResult) {
	ns, ok := ctx.Value(spanKey{h}).(*nodeSpan)
	if !ok {
		return
	}
	span := ns.span
	if span.IsRecording() {
		span.SetAttributes(AttrDuration.Float64(float64(r.Duration.Nanoseconds()) / 1e6))
		if r.Err != nil {
			span.RecordError(r.Err)
			span.SetStatus(codes.Error, r.Err.Error())
			span.SetAttributes(AttrErrorType.String(errorType(r.Err)))
		}
	}
	span.End()
}

// Event adds a span event to the span of the node the event happened in.
func (h *hook) Event(ctx context.Context, n chain.NodeInfo, e chain.Event) {
	ns, _ := ctx.Value(spanKey{h}).(*nodeSpan)
	var span trace.Span
	if ns != nil {
		span = ns.span
	} else {
		span = trace.SpanFromContext(ctx)
	}
	if !span.IsRecording() {
		return
	}
	span.AddEvent(EventPrefix+string(e.Kind), trace.WithAttributes(eventAttributes(e)...))
	if e.Kind == chain.EventTokens && ns != nil {
		ns.mu.Lock()
		ns.input += int64(e.InputTokens)
		ns.output += int64(e.OutputTokens)
		in, out := ns.input, ns.output
		ns.mu.Unlock()
		span.SetAttributes(AttrInputTokens.Int64(in), AttrOutputTokens.Int64(out))
	}
}

// errorType names an error's Go type, for the error.type attribute.
func errorType(err error) string { return fmt.Sprintf("%T", err) }

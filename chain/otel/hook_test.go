package otel_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/chaintest"
	chainotel "github.com/chorus-go/chorus/chain/otel"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func newRecorder(t *testing.T) (*tracetest.SpanRecorder, *sdktrace.TracerProvider) {
	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	return sr, tp
}

func attr(s sdktrace.ReadOnlySpan, key attribute.Key) (attribute.Value, bool) {
	for _, kv := range s.Attributes() {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return attribute.Value{}, false
}

func eventAttr(e sdktrace.Event, key attribute.Key) (attribute.Value, bool) {
	for _, kv := range e.Attributes {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return attribute.Value{}, false
}

// byPath indexes ended spans by their node path.
func byPath(t *testing.T, spans []sdktrace.ReadOnlySpan) map[string]sdktrace.ReadOnlySpan {
	t.Helper()
	m := map[string]sdktrace.ReadOnlySpan{}
	for _, s := range spans {
		p, ok := attr(s, chainotel.AttrNodePath)
		if !ok {
			t.Fatalf("span %q has no node path", s.Name())
		}
		m[p.AsString()] = s
	}
	return m
}

func TestSpansFollowTheNodeTree(t *testing.T) {
	sr, tp := newRecorder(t)
	var calls int
	var mu sync.Mutex
	flaky := chain.Fn(func(ctx context.Context, s string) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		chain.Emit(ctx, chain.Event{Kind: chain.EventTokens, InputTokens: 10, OutputTokens: 3})
		if calls == 1 {
			return "", chain.MarkRetryable(errors.New("busy"))
		}
		return strings.ToUpper(s), nil
	})
	c := chain.Named("analyse", chain.Then(
		chain.Named("ocr", chain.Pure(strings.TrimSpace)),
		chain.Named("classify", chain.Retry(chain.Named("gpt", flaky), chain.RetryClock(chaintest.NewAutoClock(time.Now())), chain.Backoff(time.Millisecond, time.Millisecond))),
	))

	// A parent span from the caller (an HTTP server's, say).
	ctx, parent := tp.Tracer("test").Start(context.Background(), "request")
	ctx = chain.WithHooks(ctx, chainotel.New(chainotel.WithTracerProvider(tp), chainotel.WithAttributes(attribute.String("service", "docs"))))
	out, err := c.Run(ctx, "  invoice ")
	parent.End()
	if err != nil || out != "INVOICE" {
		t.Fatalf("Run: %q, %v", out, err)
	}

	spans := byPath(t, sr.Ended()[:len(sr.Ended())-1]) // the last is the parent
	want := map[string]string{                         // path -> parent path
		"analyse":              "",
		"analyse/ocr":          "analyse",
		"analyse/classify":     "analyse",
		"analyse/classify/gpt": "analyse/classify",
	}
	if n := len(sr.Ended()); n != 6 { // the parent, analyse, ocr, classify and gpt twice
		t.Fatalf("%d spans, want 6", n)
	}
	for path, parentPath := range want {
		s, ok := spans[path]
		if !ok {
			t.Fatalf("no span for %s", path)
		}
		if parentPath == "" {
			if s.Parent().SpanID() != parent.SpanContext().SpanID() {
				t.Errorf("%s: parent is not the caller's span", path)
			}
		} else if s.Parent().SpanID() != spans[parentPath].SpanContext().SpanID() {
			t.Errorf("%s: parent is not %s", path, parentPath)
		}
		if s.SpanContext().TraceID() != parent.SpanContext().TraceID() {
			t.Errorf("%s: another trace", path)
		}
		if s.SpanKind() != trace.SpanKindInternal {
			t.Errorf("%s: kind %v", path, s.SpanKind())
		}
		if v, _ := attr(s, "service"); v.AsString() != "docs" {
			t.Errorf("%s: no service attribute", path)
		}
		if _, ok := attr(s, chainotel.AttrDuration); !ok {
			t.Errorf("%s: no duration", path)
		}
	}
	classify := spans["analyse/classify"]
	if classify.Name() != "classify" {
		t.Errorf("span name %q", classify.Name())
	}
	if v, _ := attr(classify, chainotel.AttrNodeKind); v.AsString() != "retry" {
		t.Errorf("classify kind %q", v.AsString())
	}
	if classify.Status().Code != codes.Unset {
		t.Errorf("classify status %v", classify.Status())
	}
	// The retry event is on the retry node's span.
	var retry *sdktrace.Event
	for _, e := range classify.Events() {
		if e.Name == "chorus.retry" {
			retry = &e
		}
	}
	if retry == nil {
		t.Fatalf("no retry event on classify: %+v", classify.Events())
	}
	if v, _ := eventAttr(*retry, chainotel.AttrAttempt); v.AsInt64() != 1 {
		t.Errorf("retry attempt %v", v)
	}
	if v, _ := eventAttr(*retry, chainotel.AttrErrorMessage); v.AsString() != "gpt: busy" {
		t.Errorf("retry error %v", v)
	}

	// The first gpt attempt failed; the second succeeded. Each span
	// carries the tokens reported inside it.
	var failed, ok int
	for _, s := range sr.Ended() {
		if p, _ := attr(s, chainotel.AttrNodePath); p.AsString() != "analyse/classify/gpt" {
			continue
		}
		if v, _ := attr(s, chainotel.AttrInputTokens); v.AsInt64() != 10 {
			t.Errorf("gpt input tokens %v", v)
		}
		hasTokens := false
		for _, e := range s.Events() {
			hasTokens = hasTokens || e.Name == "chorus.tokens"
		}
		if !hasTokens {
			t.Error("no tokens event on gpt")
		}
		if s.Status().Code == codes.Error {
			failed++
			if s.Status().Description != "busy" {
				t.Errorf("status %+v", s.Status())
			}
			var exc bool
			for _, e := range s.Events() {
				exc = exc || e.Name == "exception"
			}
			if !exc {
				t.Error("error not recorded as an exception event")
			}
			if v, _ := attr(s, chainotel.AttrErrorType); !strings.Contains(v.AsString(), "retryable") {
				t.Errorf("error.type %q", v.AsString())
			}
		} else {
			ok++
		}
	}
	if failed != 1 || ok != 1 {
		t.Errorf("gpt spans: %d failed, %d ok", failed, ok)
	}
}

func TestErrorsAndEvents(t *testing.T) {
	sr, tp := newRecorder(t)
	hook := chainotel.New(chainotel.WithTracer(tp.Tracer("test")))
	down := errors.New("model down")
	failing := chain.Fn(func(ctx context.Context, s string) (string, error) { return "", down })
	breaker := chain.Breaker(chain.Named("gpt", failing), chain.Threshold(1))
	c := chain.Named("answer", chain.Fallback(chain.Named("guarded", breaker), chain.Named("rules", chain.Pure(strings.ToLower))))
	ctx := chain.WithHooks(context.Background(), hook)
	if out, err := c.Run(ctx, "X"); err != nil || out != "x" {
		t.Fatalf("Run: %q %v", out, err)
	}
	// A route and a failing one.
	router := chain.RouterOf(chain.Pure(func(s string) string { return s }))
	route := chain.Named("route", chain.Route(router, map[string]chain.Chain[string, string]{"a": chain.Pure(strings.ToUpper)}))
	if _, err := route.Run(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if _, err := route.Run(ctx, "b"); !errors.Is(err, chain.ErrUnknownRoute) {
		t.Fatalf("route b: %v", err)
	}

	spans := map[string][]sdktrace.ReadOnlySpan{}
	for _, s := range sr.Ended() {
		p, _ := attr(s, chainotel.AttrNodePath)
		spans[p.AsString()] = append(spans[p.AsString()], s)
	}
	guarded := spans["answer/guarded"][0]
	if guarded.Status().Code != codes.Error || guarded.Status().Description != "gpt: model down" {
		t.Errorf("breaker span status %+v", guarded.Status())
	}
	var sawBreaker bool
	for _, e := range guarded.Events() {
		if e.Name == "chorus.breaker" {
			sawBreaker = true
			from, _ := eventAttr(e, chainotel.AttrBreakerFrom)
			to, _ := eventAttr(e, chainotel.AttrBreakerTo)
			if from.AsString() != "closed" || to.AsString() != "open" {
				t.Errorf("breaker event %s -> %s", from.AsString(), to.AsString())
			}
		}
	}
	if !sawBreaker {
		t.Errorf("no breaker event: %+v", guarded.Events())
	}
	answer := spans["answer"][0]
	if answer.Status().Code != codes.Unset {
		t.Errorf("answer status %+v: the fallback answered", answer.Status())
	}
	var fb bool
	for _, e := range answer.Events() {
		if e.Name == "chorus.fallback" {
			fb = true
			if v, _ := eventAttr(e, chainotel.AttrIndex); v.AsInt64() != 1 {
				t.Errorf("fallback index %v", v)
			}
		}
	}
	if !fb {
		t.Errorf("no fallback event: %+v", answer.Events())
	}
	routes := spans["route"]
	if len(routes) != 2 {
		t.Fatalf("%d route spans", len(routes))
	}
	if v, _ := eventAttr(routes[0].Events()[0], chainotel.AttrEventName); routes[0].Events()[0].Name != "chorus.route" || v.AsString() != "a" {
		t.Errorf("route event %+v", routes[0].Events())
	}
	if routes[1].Status().Code != codes.Error {
		t.Errorf("unknown route status %+v", routes[1].Status())
	}
}

func TestBatchEvent(t *testing.T) {
	sr, tp := newRecorder(t)
	many := chain.Fn(func(ctx context.Context, in []string) ([]string, error) { return in, nil })
	b := chain.Named("embed", chain.Batch(many, chain.MaxSize(2), chain.MaxWait(time.Second)))
	ctx := chain.WithHooks(context.Background(), chainotel.New(chainotel.WithTracerProvider(tp)))
	var wg sync.WaitGroup
	for _, s := range []string{"a", "b"} {
		wg.Go(func() { _, _ = b.Run(ctx, s) })
	}
	wg.Wait()
	var sizes []int64
	for _, s := range sr.Ended() {
		for _, e := range s.Events() {
			if e.Name == "chorus.batch" {
				v, _ := eventAttr(e, chainotel.AttrBatchSize)
				sizes = append(sizes, v.AsInt64())
			}
		}
	}
	if len(sizes) != 1 || sizes[0] != 2 {
		t.Errorf("batch events: %v", sizes)
	}
}

func TestNotSampled(t *testing.T) {
	sr := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sr), sdktrace.WithSampler(sdktrace.NeverSample()))
	defer tp.Shutdown(context.Background())
	ctx := chain.WithHooks(context.Background(), chainotel.New(chainotel.WithTracerProvider(tp)))
	c := chain.Named("x", chain.Fn(func(ctx context.Context, s string) (string, error) {
		chain.Emit(ctx, chain.Event{Kind: chain.EventTokens, InputTokens: 1})
		return s, errors.New("fails")
	}))
	if _, err := c.Run(ctx, "a"); err == nil {
		t.Fatal("no error")
	}
	if n := len(sr.Ended()); n != 0 {
		t.Errorf("%d spans recorded", n)
	}
}

func TestTwoHooks(t *testing.T) {
	// Two tracing hooks each end their own spans.
	sr1, tp1 := newRecorder(t)
	sr2, tp2 := newRecorder(t)
	ctx := chain.WithHooks(context.Background(), chainotel.New(chainotel.WithTracerProvider(tp1)), chainotel.New(chainotel.WithTracerProvider(tp2)))
	c := chain.Named("outer", chain.Then(chain.Named("a", chain.Pure(strings.ToUpper)), chain.Named("b", chain.Pure(strings.ToLower))))
	if _, err := c.Run(ctx, "x"); err != nil {
		t.Fatal(err)
	}
	if len(sr1.Ended()) != 3 || len(sr2.Ended()) != 3 || len(sr1.Started()) != 3 {
		t.Errorf("spans: %d and %d", len(sr1.Ended()), len(sr2.Ended()))
	}
}

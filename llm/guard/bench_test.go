package guard_test

import (
	"context"
	"testing"
	"time"

	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/guard"
)

// BenchmarkOverhead compares a call to a trivial in-memory model with the
// same call through the middleware: retry alone, and every layer but the
// cache (no fault, so no retry).
func BenchmarkOverhead(b *testing.B) {
	ctx := context.Background()
	req := ask("INVOICE No. 2024-117, total due 1,250.00 EUR")
	inner := &echoModel{}
	run := func(b *testing.B, m llm.ChatModel) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := m.Chat(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("direct", func(b *testing.B) { run(b, inner) })
	b.Run("retry", func(b *testing.B) { run(b, guard.MustNew(inner, guard.WithRetry(3))) })
	b.Run("all", func(b *testing.B) {
		run(b, guard.MustNew(inner, guard.WithRetry(3), guard.WithTimeout(time.Minute), guard.WithBreaker(5, 0),
			guard.WithRateLimit(1<<30, 0), guard.WithMaxConcurrent(64), guard.WithFallback(&echoModel{})))
	})
	// A token limit adds the estimate of the request's tokens (llm.ApproxTokens).
	b.Run("all+tokens", func(b *testing.B) {
		run(b, guard.MustNew(inner, guard.WithRetry(3), guard.WithTimeout(time.Minute), guard.WithBreaker(5, 0),
			guard.WithRateLimit(1<<30, 1<<30), guard.WithMaxConcurrent(64), guard.WithFallback(&echoModel{})))
	})
}

// BenchmarkCacheHit is a call answered from the cache.
func BenchmarkCacheHit(b *testing.B) {
	ctx := context.Background()
	req := llm.Request{Messages: []llm.Message{
		llm.System("Classify the document: Invoice, Receipt or Letter. Answer with one word."),
		llm.User("INVOICE No. 2024-117, total due 1,250.00 EUR"),
	}}
	m := guard.MustNew(&echoModel{}, guard.WithCache(1000))
	if _, err := m.Chat(ctx, req); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Chat(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenAI compares the openai adapter on the test server, direct
// and through the middleware.
func BenchmarkOpenAI(b *testing.B) {
	s := openaitest.New(b)
	s.SetDefault(openaitest.EndpointChat, openaitest.Text("Invoice"))
	inner := newOpenAI(b, s)
	ctx := context.Background()
	req := ask("INVOICE No. 2024-117")
	run := func(b *testing.B, m llm.ChatModel) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := m.Chat(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("direct", func(b *testing.B) { run(b, inner) })
	b.Run("guarded", func(b *testing.B) {
		run(b, guard.MustNew(inner, guard.WithRetry(3), guard.WithTimeout(time.Minute), guard.WithBreaker(5, 0), guard.WithMaxConcurrent(64)))
	})
}

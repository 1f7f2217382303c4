package memory_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/memory"
	"github.com/chorus-go/chorus/memory/memorytest"
)

func BenchmarkInProcess(b *testing.B) {
	memorytest.BenchmarkStore(b, func(*testing.B) memory.Store { return memory.NewInProcess() })
}

// BenchmarkPolicies measures Messages of each policy on a history of 200
// messages of about 200 characters with a tool exchange every 10 messages.
func BenchmarkPolicies(b *testing.B) {
	ctx := context.Background()
	s := memory.NewInProcess()
	text := strings.Repeat("lorem ipsum ", 17)
	for i := range 20 {
		msgs := []llm.Message{llm.User(text), llm.Assistant(text), llm.User(text)}
		msgs = append(msgs, toolExchange(string(rune('a'+i)), 2)...)
		msgs = append(msgs, llm.Assistant(text), llm.User(text), llm.Assistant(text), llm.User(text))
		if err := s.Append(ctx, "s", append(msgs, llm.Assistant(text))...); err != nil {
			b.Fatal(err)
		}
	}
	never := &fakeModel{answer: reply("x")}
	for _, bc := range []struct {
		name string
		mem  memory.Memory
	}{
		{"Buffer", s},
		{"Window20", memory.MustWindow(s, 20)},
		{"Bounded2000", memory.MustBounded(s, 2000)},
		{"SummaryUnderBudget", memory.MustSummary(s, never, 1_000_000)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bc.mem.Messages(ctx, "s"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

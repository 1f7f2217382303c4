package memorytest

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/memory"
)

// BenchmarkStore runs benchmarks of a Store as sub-benchmarks of b, with
// messages of about 200 characters:
//
//   - Append: append one message;
//   - Load20: load a history of 20 messages;
//   - Turn20: one chat turn on a history of about 20 messages — load it,
//     then append the user's message and the reply in one call;
//   - TurnParallel: Turn20 from GOMAXPROCS goroutines, each on its own
//     session.
//
// newStore returns an empty store; it may register cleanups with b.
func BenchmarkStore(b *testing.B, newStore func(b *testing.B) memory.Store) {
	ctx := context.Background()
	text := strings.Repeat("lorem ipsum ", 17)
	q, a := llm.User(text), llm.Assistant(text)

	b.Run("Append", func(b *testing.B) {
		s := newStore(b)
		session := "s0"
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if i%1000 == 999 {
				session = fmt.Sprint("s", i)
			}
			if err := s.Append(ctx, session, q); err != nil {
				b.Fatal(err)
			}
		}
	})

	b.Run("Load20", func(b *testing.B) {
		s := newStore(b)
		for range 10 {
			if err := s.Append(ctx, "s", q, a); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportAllocs()
		for b.Loop() {
			msgs, err := s.Messages(ctx, "s")
			if err != nil || len(msgs) != 20 {
				b.Fatal(len(msgs), err)
			}
		}
	})

	// turn loads a session and appends a turn, clearing it every 10
	// turns so the history stays near 20 messages.
	turn := func(b *testing.B, s memory.Store, session string, i int) {
		if i%10 == 0 {
			if err := s.Clear(ctx, session); err != nil {
				b.Fatal(err)
			}
			for range 5 {
				if err := s.Append(ctx, session, q, a); err != nil {
					b.Fatal(err)
				}
			}
		}
		if _, err := s.Messages(ctx, session); err != nil {
			b.Fatal(err)
		}
		if err := s.Append(ctx, session, q, a); err != nil {
			b.Fatal(err)
		}
	}

	b.Run("Turn20", func(b *testing.B) {
		s := newStore(b)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			turn(b, s, "s", i)
		}
	})

	b.Run("TurnParallel", func(b *testing.B) {
		s := newStore(b)
		var sessions atomic.Int64
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			session := fmt.Sprint("p", sessions.Add(1))
			for i := 0; pb.Next(); i++ {
				turn(b, s, session, i)
			}
		})
	})
}

package ollama_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/ollamatest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/ollama"
	"github.com/ollama/ollama/api"
)

const benchPrompt = "What is the capital of France? Answer in one short sentence."

// BenchmarkChat compares one non-streamed chat through the bare api client
// and through the adapter, on the same server and HTTP client (the server
// echoes the prompt).
func BenchmarkChat(b *testing.B) {
	s := ollamatest.New(b)
	ctx := context.Background()
	b.Run("raw", func(b *testing.B) {
		client := s.Client()
		for b.Loop() {
			if err := rawChat(ctx, client); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("adapter", func(b *testing.B) {
		m := newModel(b, s, "llama3.2")
		for b.Loop() {
			if _, err := m.Chat(ctx, ask(benchPrompt)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func rawChat(ctx context.Context, client *api.Client) error {
	stream := false
	req := &api.ChatRequest{Model: "llama3.2", Messages: []api.Message{{Role: "user", Content: benchPrompt}}, Stream: &stream}
	var done bool
	err := client.Chat(ctx, req, func(r api.ChatResponse) error {
		done = r.Done
		return nil
	})
	if err == nil && !done {
		err = errors.New("no done")
	}
	return err
}

// BenchmarkChatOverhead alternates bare and adapter calls (swapping which
// goes first every iteration), so that both see the same machine load, and
// reports the median of each and the adapter's overhead on the medians,
// which GC pauses and a busy machine skew less than means.
func BenchmarkChatOverhead(b *testing.B) {
	s := ollamatest.New(b)
	ctx := context.Background()
	client := s.Client()
	m := newModel(b, s, "llama3.2")
	bare := func() error { return rawChat(ctx, client) }
	adapted := func() error { _, err := m.Chat(ctx, ask(benchPrompt)); return err }
	compare(b, "ns/call", bare, adapted)
}

// compare runs bare and adapted alternately, timing each with its own
// clock (the duration a function returns, or the whole call when it
// returns 0), and reports their medians and the overhead.
func compare(b *testing.B, unit string, bare, adapted func() error) {
	var raw, adapter []time.Duration
	timed := func(f func() error, into *[]time.Duration) {
		start := time.Now()
		if err := f(); err != nil {
			b.Fatal(err)
		}
		*into = append(*into, time.Since(start))
	}
	i := 0
	for b.Loop() {
		if i%2 == 0 {
			timed(bare, &raw)
			timed(adapted, &adapter)
		} else {
			timed(adapted, &adapter)
			timed(bare, &raw)
		}
		i++
	}
	r, a := median(raw), median(adapter)
	b.ReportMetric(float64(r.Nanoseconds()), "raw-median-"+unit)
	b.ReportMetric(float64(a.Nanoseconds()), "adapter-median-"+unit)
	b.ReportMetric(100*(float64(a)/float64(r)-1), "overhead-%")
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[len(d)/2]
}

// BenchmarkFirstChunk measures the time from the call to the first text
// chunk of a streamed answer, bare and through the adapter, alternating;
// each call is then abandoned (the rest of the answer is paced at 1ms per
// chunk and never read), which closes its connection.
func BenchmarkFirstChunk(b *testing.B) {
	s := ollamatest.New(b, ollamatest.WithDefault(func(ollamatest.Request) ollamatest.Reply {
		return ollamatest.Text("Paris is the capital of France, and has been for a long time.").WithChunkDelay(time.Millisecond)
	}))
	ctx := context.Background()
	client := s.Client()
	m := newModel(b, s, "llama3.2")
	stop := errors.New("stop")
	bare := func() error {
		got := false
		err := client.Chat(ctx, &api.ChatRequest{Model: "llama3.2", Messages: []api.Message{{Role: "user", Content: benchPrompt}}},
			func(r api.ChatResponse) error {
				if r.Message.Content != "" {
					got = true
					return stop
				}
				return nil
			})
		if !got || !errors.Is(err, stop) {
			return fmt.Errorf("no first chunk: %v", err)
		}
		return nil
	}
	adapted := func() error {
		for c, err := range m.Stream(ctx, ask(benchPrompt)) {
			if err != nil {
				return err
			}
			if c.Text != "" {
				return nil
			}
		}
		return errors.New("no first chunk")
	}
	compare(b, "ns/first-chunk", bare, adapted)
}

// BenchmarkEmbed10k embeds 10,000 texts, as vectors of 8 and of 384
// values: one text per request, Embed's batches of 512, and 10,000
// concurrent single-text calls gathered by llm.EmbedChain (MaxSize 512).
func BenchmarkEmbed10k(b *testing.B) {
	in := texts(10_000)
	ctx := context.Background()
	for _, dim := range []int{8, 384} {
		run := func(name string, embed func(*ollamatest.Server) func() error) {
			b.Run(fmt.Sprintf("dim=%d/%s", dim, name), func(b *testing.B) {
				s := ollamatest.New(b, ollamatest.WithEmbedDim(dim))
				call := embed(s)
				start := time.Now()
				for b.Loop() {
					if err := call(); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(len(s.EmbedRequests()))/float64(b.N), "requests/op")
				b.ReportMetric(float64(len(in)*b.N)/time.Since(start).Seconds(), "texts/s")
			})
		}
		run("one-per-request", func(s *ollamatest.Server) func() error {
			e := newEmbedder(b, s, "all-minilm", ollama.WithBatchSize(1))
			return func() error { _, err := e.Embed(ctx, in); return err }
		})
		run("batches-of-512", func(s *ollamatest.Server) func() error {
			e := newEmbedder(b, s, "all-minilm")
			return func() error { _, err := e.Embed(ctx, in); return err }
		})
		run("EmbedChain-concurrent", func(s *ollamatest.Server) func() error {
			c := llm.EmbedChain(newEmbedder(b, s, "all-minilm"), chain.MaxSize(512), chain.MaxWait(2*time.Millisecond))
			return func() error { return embedConcurrently(ctx, c, in) }
		})
	}
}

// embedConcurrently runs one goroutine per text.
func embedConcurrently(ctx context.Context, c chain.Chain[string, []float32], in []string) error {
	var wg sync.WaitGroup
	errs := make(chan error, 1)
	for _, text := range in {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Run(ctx, text); err != nil {
				select {
				case errs <- err:
				default:
				}
			}
		}()
	}
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

package llmtest_test

import (
	"context"
	"errors"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/llmtest"
)

func cosine(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	return dot / math.Sqrt(na*nb)
}

func TestEmbedderDeterministicUnitVectors(t *testing.T) {
	e := llmtest.NewEmbedder(64)
	texts := []string{"the invoice total is 12 euros", "The INVOICE total is: 12 euros!", "a poem about the sea", "", "!!!"}
	a, err := e.Embed(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := e.Embed(context.Background(), texts)
	for i := range texts {
		if len(a[i]) != 64 {
			t.Fatalf("vector %d has %d dimensions", i, len(a[i]))
		}
		if c := cosine(a[i], b[i]); math.Abs(c-1) > 1e-6 {
			t.Errorf("text %d: two calls differ (cosine %v)", i, c)
		}
		var norm float64
		for _, x := range a[i] {
			norm += float64(x) * float64(x)
		}
		if math.Abs(norm-1) > 1e-5 {
			t.Errorf("text %d: norm² %v", i, norm)
		}
	}
	if c := cosine(a[0], a[1]); c < 0.99 {
		t.Errorf("same words, different case and punctuation: cosine %v", c)
	}
	if near, far := cosine(a[0], a[1]), cosine(a[0], a[2]); near <= far {
		t.Errorf("related %v <= unrelated %v", near, far)
	}
	if e.Dimensions() != 64 {
		t.Errorf("Dimensions = %d", e.Dimensions())
	}
	if calls, n := e.Calls(); calls != 2 || n != 10 {
		t.Errorf("Calls = %d, %d", calls, n)
	}
}

func TestEmbedderScriptedErrorsAndDelay(t *testing.T) {
	boom := errors.New("boom")
	e := llmtest.NewEmbedder(8).FailWith(boom, nil, llmtest.StatusError(503))
	ctx := context.Background()
	if _, err := e.Embed(ctx, []string{"a"}); !errors.Is(err, boom) {
		t.Fatalf("call 1: %v", err)
	}
	if _, err := e.Embed(ctx, []string{"a"}); err != nil {
		t.Fatalf("call 2: %v", err)
	}
	if _, err := e.Embed(ctx, []string{"a"}); !errors.Is(err, llm.ErrServer) {
		t.Fatalf("call 3: %v", err)
	}
	if _, err := e.Embed(ctx, []string{"a"}); err != nil {
		t.Fatalf("call 4: %v", err)
	}

	e.WithDelay(time.Hour)
	tctx, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel()
	if _, err := e.Embed(tctx, []string{"a"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("delayed call: %v", err)
	}
}

func TestEmbedderWithBatch(t *testing.T) {
	e := llmtest.NewEmbedder(16).WithDelay(5 * time.Millisecond)
	c := llm.EmbedChain(e, chain.MaxSize(8), chain.MaxWait(20*time.Millisecond))
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := c.Run(context.Background(), string(rune('a'+i)))
			if err != nil || len(v) != 16 {
				t.Errorf("item %d: %v, %d dims", i, err, len(v))
			}
		}()
	}
	wg.Wait()
	if calls, texts := e.Calls(); texts != 16 || calls >= 16 {
		t.Errorf("%d calls for %d texts: batching did not gather", calls, texts)
	}
}

func TestNewEmbedderPanicsOnBadDimension(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	llmtest.NewEmbedder(0)
}

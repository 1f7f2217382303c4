package conformance

import (
	"context"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// TestEmbedder checks an embedder adapter: description, dimensions, order,
// empty input, typed errors, cancellation and concurrent use, directly and
// through llm.EmbedChain. newHarness is called once per check, with the
// check's own *testing.T.
func TestEmbedder(t *testing.T, newHarness func(t *testing.T) EmbedderHarness, opts ...Option) {
	t.Helper()
	if newHarness == nil {
		t.Fatal("conformance.TestEmbedder: nil harness constructor")
	}
	c := &embedChecks{cfg: newConfig(opts), newHarness: newHarness}
	t.Run("Describe", func(t *testing.T) {
		_, e := c.setup(t)
		checkDescribe(t, e, chain.KindModel)
	})
	t.Run("Dimensions", c.dimensions)
	t.Run("Order", c.order)
	t.Run("EmptyInput", c.empty)
	t.Run("Errors", c.errors)
	t.Run("Cancel", c.cancel)
	t.Run("Concurrent", c.concurrent)
	t.Run("EmbedChain", c.embedChain)
}

type embedChecks struct {
	cfg        config
	newHarness func(t *testing.T) EmbedderHarness
}

func (c *embedChecks) setup(t *testing.T) (EmbedderHarness, llm.Embedder) {
	t.Helper()
	h := c.newHarness(t)
	if h == nil {
		t.Fatal("the harness constructor returned nil")
	}
	e := h.Embedder()
	if e == nil {
		t.Fatal("the harness returned a nil embedder")
	}
	return h, e
}

var animalTexts = []string{
	"a red fox crossing the field at dusk",
	"a peregrine falcon diving at great speed",
	"a green turtle swimming over the reef",
	"a brown bear fishing for salmon",
	"a barn owl hunting mice at night",
	"a chameleon changing colour on a branch",
	"a humpback whale singing in the deep",
	"a kingfisher perched above the stream",
}

// embed calls e and checks that it gives one non-empty vector per text.
func embed(t *testing.T, e llm.Embedder, texts []string) [][]float32 {
	t.Helper()
	vs, err := e.Embed(callContext(t), texts)
	if err != nil {
		t.Fatalf("Embed(%d texts): %v", len(texts), err)
	}
	if len(vs) != len(texts) {
		t.Fatalf("Embed returned %d vectors for %d texts", len(vs), len(texts))
	}
	for i, v := range vs {
		if len(v) == 0 {
			t.Fatalf("vector %d is empty", i)
		}
	}
	return vs
}

// sameVector reports whether a and b are equal within float32 noise.
func sameVector(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(float64(a[i]-b[i])) > 1e-5 {
			return false
		}
	}
	return true
}

func (c *embedChecks) dimensions(t *testing.T) {
	_, e := c.setup(t)
	before := e.Dimensions()
	vs := embed(t, e, animalTexts[:3])
	n := len(vs[0])
	for i, v := range vs {
		if len(v) != n {
			t.Errorf("vector %d has %d dimensions, vector 0 has %d", i, len(v), n)
		}
	}
	if got := e.Dimensions(); got != n {
		t.Errorf("Dimensions() = %d after a call that returned %d-dimensional vectors", got, n)
	}
	if before != 0 && before != n {
		t.Errorf("Dimensions() = %d before the first call, then vectors of %d", before, n)
	}
}

func (c *embedChecks) order(t *testing.T) {
	_, e := c.setup(t)
	texts := animalTexts[:4]
	forward := embed(t, e, texts)
	reversed := make([]string, len(texts))
	for i, s := range texts {
		reversed[len(texts)-1-i] = s
	}
	backward := embed(t, e, reversed)
	for i := range texts {
		if !sameVector(forward[i], backward[len(texts)-1-i]) {
			t.Errorf("text %q: its vector changed when the input was reversed: the order is not kept", texts[i])
		}
		alone := embed(t, e, texts[i:i+1])
		if !sameVector(forward[i], alone[0]) {
			t.Errorf("text %q: its vector in a batch differs from its vector alone", texts[i])
		}
	}
	if sameVector(forward[0], forward[1]) {
		t.Errorf("two different texts got the same vector")
	}
}

func (c *embedChecks) empty(t *testing.T) {
	h, e := c.setup(t)
	for _, texts := range [][]string{nil, {}} {
		vs, err := e.Embed(callContext(t), texts)
		if err != nil {
			t.Errorf("Embed(%#v) = %v, want no error", texts, err)
		}
		if len(vs) != 0 {
			t.Errorf("Embed(%#v) returned %d vectors", texts, len(vs))
		}
	}
	if n := h.Received(); n != 0 {
		t.Errorf("embedding no texts sent %d texts to the server, want none", n)
	}
}

func (c *embedChecks) errors(t *testing.T) {
	for _, tc := range statusCases {
		if tc.status != 429 && tc.status != 400 && tc.status != 503 {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			h, e := c.setup(t)
			h.ScriptError(tc.status, tc.message, tc.retryAfter)
			_, err := e.Embed(callContext(t), animalTexts[:2])
			checkStatusError(t, tc, err)
		})
	}
}

func (c *embedChecks) cancel(t *testing.T) {
	t.Run("while_waiting", func(t *testing.T) {
		h, e := c.setup(t)
		h.ScriptHang()
		checkCancelled(t, c.cfg, func() bool { return h.Received() > 0 }, func(ctx context.Context) error {
			_, err := e.Embed(ctx, animalTexts[:2])
			return err
		})
	})
	t.Run("deadline", func(t *testing.T) {
		h, e := c.setup(t)
		h.ScriptHang()
		checkDeadline(t, c.cfg, func(ctx context.Context) error {
			_, err := e.Embed(ctx, animalTexts[:2])
			return err
		})
	})
}

// reference embeds each text alone, for the concurrency checks.
func reference(t *testing.T, e llm.Embedder, texts []string) [][]float32 {
	t.Helper()
	out := make([][]float32, len(texts))
	for i, s := range texts {
		out[i] = embed(t, e, []string{s})[0]
	}
	return out
}

// concurrentTexts returns n distinct texts.
func concurrentTexts(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s, sighting %d", animalTexts[i%len(animalTexts)], i)
	}
	return out
}

func (c *embedChecks) concurrent(t *testing.T) {
	_, e := c.setup(t)
	texts := concurrentTexts(c.cfg.concurrency)
	want := reference(t, e, texts)
	ctx := callContext(t)
	var wg sync.WaitGroup
	errs := make([]error, len(texts))
	for i := range texts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Even callers embed their text alone, odd ones a batch of
			// two, so that batches of several sizes run at once.
			batch := []string{texts[i]}
			if i%2 == 1 {
				batch = append(batch, texts[i-1])
			}
			vs, err := e.Embed(ctx, batch)
			switch {
			case err != nil:
				errs[i] = err
			case len(vs) != len(batch):
				errs[i] = fmt.Errorf("%d vectors for %d texts", len(vs), len(batch))
			case !sameVector(vs[0], want[i]) || (i%2 == 1 && !sameVector(vs[1], want[i-1])):
				errs[i] = fmt.Errorf("vectors differ from those embedded one at a time")
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("caller %d: %v", i, err)
		}
	}
}

func (c *embedChecks) embedChain(t *testing.T) {
	_, e := c.setup(t)
	texts := concurrentTexts(2 * c.cfg.concurrency)
	want := reference(t, e, texts)
	one := llm.EmbedChain(e, chain.MaxSize(4), chain.MaxWait(5*time.Millisecond))
	ctx := callContext(t)
	var wg sync.WaitGroup
	errs := make([]error, len(texts))
	for i := range texts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := one.Run(ctx, texts[i])
			if err == nil && !sameVector(v, want[i]) {
				err = fmt.Errorf("its vector through llm.EmbedChain differs from the one embedded alone")
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("text %d: %v", i, err)
		}
	}
}

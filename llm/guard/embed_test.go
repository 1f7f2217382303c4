package guard_test

import (
	"context"
	"errors"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/guard"
	"github.com/chorus-go/chorus/llm/openai"
)

func TestEmbedder(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueEmbeddings(openaitest.RateLimited(1), openaitest.ServerError())
	inner, err := openai.NewEmbedder("text-embedding-3-small", openai.WithAPIKey("k"), openai.WithBaseURL(s.URL()), openai.WithHTTPClient(s.HTTPClient()), openai.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	e := guard.MustEmbedder(inner, guard.WithRetry(3), guard.WithCache(8), guard.WithClock(autoClock()))
	ue, ok := e.(llm.UsageEmbedder)
	if !ok {
		t.Fatalf("%T is not an llm.UsageEmbedder", e)
	}
	vecs, u, err := ue.EmbedUsage(context.Background(), []string{"a cat", "a dog"})
	if err != nil || len(vecs) != 2 || u.InputTokens == 0 {
		t.Fatalf("%d vectors, %+v, %v", len(vecs), u, err)
	}
	if _, err := llm.Embed(context.Background(), e, []string{"a cat", "a dog"}); err != nil {
		t.Fatal(err)
	}
	if len(s.Requests()) != 3 {
		t.Fatalf("%d requests, want 2 failures, 1 answer and a cache hit", len(s.Requests()))
	}
}

type flakyOCR struct{ fails int }

func (o *flakyOCR) Recognize(context.Context, llm.Image) (llm.OCRResult, error) {
	if o.fails > 0 {
		o.fails--
		return llm.OCRResult{}, chain.MarkRetryable(errors.New("engine busy"))
	}
	return llm.OCRResult{Text: "INVOICE"}, nil
}

func TestOCR(t *testing.T) {
	o := guard.MustOCR(&flakyOCR{fails: 2}, guard.WithRetry(3), guard.WithClock(autoClock()))
	r, err := o.Recognize(context.Background(), llm.Image{MIMEType: "image/png", Data: []byte{1, 2}})
	if err != nil || r.Text != "INVOICE" {
		t.Fatalf("%q, %v", r.Text, err)
	}
	o = guard.MustOCR(&flakyOCR{fails: 5}, guard.WithFallbackOCR(&flakyOCR{}))
	if r, err := o.Recognize(context.Background(), llm.Image{}); err != nil || r.Text != "INVOICE" {
		t.Fatalf("%q, %v", r.Text, err)
	}
}

func TestConfigErrors(t *testing.T) {
	m := &echoModel{}
	for name, opts := range map[string][]guard.Option{
		"retry 0":          {guard.WithRetry(0)},
		"backoff":          {guard.WithBackoff(0, 1)},
		"max retry after":  {guard.WithMaxRetryAfter(0)},
		"retry if":         {guard.WithRetryIf(nil)},
		"timeout":          {guard.WithTimeout(-1)},
		"fallback none":    {guard.WithFallback()},
		"fallback nil":     {guard.WithFallback(nil)},
		"breaker":          {guard.WithBreaker(0, 0)},
		"health alone":     {guard.WithHealthCheck(func(context.Context) error { return nil })},
		"rate limit":       {guard.WithRateLimit(0, 0)},
		"rate negative":    {guard.WithRateLimit(-1, 10)},
		"concurrent":       {guard.WithMaxConcurrent(0)},
		"cache":            {guard.WithCache(0)},
		"clock":            {guard.WithClock(nil)},
		"name":             {guard.WithName("")},
		"token counter":    {guard.WithTokenCounter(nil)},
		"embedder on chat": {guard.WithFallbackEmbedders(llm.Embedder(nil))},
	} {
		if _, err := guard.New(m, opts...); !errors.Is(err, chain.ErrConfig) {
			t.Errorf("%s: error %v, want chain.ErrConfig", name, err)
		}
	}
	if _, err := guard.New(nil); !errors.Is(err, chain.ErrConfig) || !errors.Is(err, llm.ErrNilModel) {
		t.Errorf("nil model: %v", err)
	}
	if _, err := guard.NewEmbedder(nil); !errors.Is(err, llm.ErrNilModel) {
		t.Errorf("nil embedder: %v", err)
	}
	if _, err := guard.NewOCR(&flakyOCR{}, guard.WithFallback(m)); !errors.Is(err, chain.ErrConfig) {
		t.Errorf("Fallback on OCR: %v", err)
	}
	defer func() {
		if r := recover(); r == nil {
			t.Error("MustChat did not panic")
		}
	}()
	guard.MustNew(m, guard.WithRetry(-1))
}

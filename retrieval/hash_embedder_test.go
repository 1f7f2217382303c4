package retrieval_test

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/retrieval"
)

var _ llm.Embedder = (*retrieval.HashEmbedder)(nil)

func TestHashEmbedder(t *testing.T) {
	e := retrieval.MustHashEmbedder(256)
	vs, err := e.Embed(context.Background(), []string{"The cat sat on the mat", "the CAT sat on the MAT!", "stock markets fell sharply", ""})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 4 || len(vs[0]) != 256 || e.Dimensions() != 256 {
		t.Fatalf("shape %d x %d", len(vs), len(vs[0]))
	}
	var n float64
	for _, x := range vs[0] {
		n += float64(x) * float64(x)
	}
	if math.Abs(n-1) > 1e-5 {
		t.Fatalf("not normalised: |v|² = %v", n)
	}
	if !slices.Equal(vs[0], vs[1]) {
		t.Fatal("case and punctuation should not matter")
	}
	if s := retrieval.Cosine.Similarity(vs[0], vs[2]); s > 0.5 {
		t.Fatalf("unrelated texts too similar: %v", s)
	}
	for _, x := range vs[3] {
		if x != 0 {
			t.Fatal("empty text should embed to zero")
		}
	}
	if !slices.Equal(e.EmbedText("模型组合"), e.EmbedText("模型 组合")) {
		t.Fatal("Han characters should be words of their own")
	}
	if got := chain.Describe(e).Name; got != "hash:256" {
		t.Fatalf("described as %q", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := e.Embed(ctx, []string{"x"}); err == nil {
		t.Fatal("cancelled Embed succeeded")
	}
}

func TestWords(t *testing.T) {
	got := retrieval.Words("Hello, World! café-au-lait 42x 模型")
	want := []string{"hello", "world", "café", "au", "lait", "42x", "模", "型"}
	if !slices.Equal(got, want) {
		t.Fatalf("%q", got)
	}
}

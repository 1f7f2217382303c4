package openaitest_test

import (
	"context"
	"errors"
	"math"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	openai "github.com/sashabaranov/go-openai"

	"github.com/chorus-go/chorus/internal/openaitest"
)

func TestEmbeddingsStrings(t *testing.T) {
	s := openaitest.New(t, openaitest.WithEmbeddingDim(32))
	inputs := []string{"the cat sat", "a dog ran", "quantum physics"}
	resp, err := newClient(s).CreateEmbeddings(context.Background(), openai.EmbeddingRequestStrings{
		Input: inputs, Model: openai.SmallEmbedding3,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Data) != len(inputs) {
		t.Fatalf("%d vectors, want %d", len(resp.Data), len(inputs))
	}
	for i, d := range resp.Data {
		if d.Index != i || d.Object != "embedding" {
			t.Errorf("data[%d] = index %d object %q", i, d.Index, d.Object)
		}
		if diff := cmp.Diff(openaitest.Embed(inputs[i], 32), d.Embedding); diff != "" {
			t.Errorf("vector %d (-want +got):\n%s", i, diff)
		}
	}
	if resp.Usage.PromptTokens == 0 || resp.Usage.TotalTokens != resp.Usage.PromptTokens {
		t.Errorf("usage = %+v", resp.Usage)
	}
	if resp.Model != openai.SmallEmbedding3 || resp.Object != "list" {
		t.Errorf("model %q object %q", resp.Model, resp.Object)
	}
	if s.EmbeddingRequests() != 1 || s.EmbeddingInputs() != 3 {
		t.Errorf("counts = %d requests, %d inputs", s.EmbeddingRequests(), s.EmbeddingInputs())
	}
	rec, _ := s.LastRequest()
	if rec.Embedding == nil || cmp.Diff(inputs, rec.Inputs) != "" {
		t.Errorf("recorded %+v inputs %q", rec.Embedding, rec.Inputs)
	}
}

func TestEmbeddingsInputShapes(t *testing.T) {
	s := openaitest.New(t)
	client := newClient(s)
	ctx := context.Background()
	one, err := client.CreateEmbeddings(ctx, openai.EmbeddingRequest{Input: "hello world", Model: openai.SmallEmbedding3})
	if err != nil || len(one.Data) != 1 || len(one.Data[0].Embedding) != openaitest.DefaultEmbeddingDim {
		t.Fatalf("string input: %+v, %v", one, err)
	}
	toks, err := client.CreateEmbeddings(ctx, openai.EmbeddingRequestTokens{Input: [][]int{{1, 2}, {3}}, Model: openai.SmallEmbedding3})
	if err != nil || len(toks.Data) != 2 {
		t.Fatalf("token input: %+v, %v", toks, err)
	}
	dims, err := client.CreateEmbeddings(ctx, openai.EmbeddingRequestStrings{Input: []string{"x"}, Model: openai.SmallEmbedding3, Dimensions: 5})
	if err != nil || len(dims.Data[0].Embedding) != 5 {
		t.Fatalf("dimensions: %+v, %v", dims, err)
	}
	_, err = client.CreateEmbeddings(ctx, openai.EmbeddingRequestStrings{Input: []string{}, Model: openai.SmallEmbedding3})
	var apiErr *openai.APIError
	if !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 400 {
		t.Errorf("empty input: err = %v, want a 400", err)
	}
}

func TestEmbeddingsBase64(t *testing.T) {
	s := openaitest.New(t)
	resp, err := newClient(s).CreateEmbeddings(context.Background(), openai.EmbeddingRequestStrings{
		Input: []string{"alpha", "beta"}, Model: openai.SmallEmbedding3,
		EncodingFormat: openai.EmbeddingEncodingFormatBase64,
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, in := range []string{"alpha", "beta"} {
		if d := cmp.Diff(openaitest.Embed(in, openaitest.DefaultEmbeddingDim), resp.Data[i].Embedding); d != "" {
			t.Errorf("vector %d (-want +got):\n%s", i, d)
		}
	}
}

func TestEmbeddingsScriptedAndFunc(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueEmbeddings(
		openaitest.Embeddings([]float32{1, 0}, []float32{0, 1}),
		openaitest.Func(func(r *openaitest.Request) openaitest.Reply {
			vs := make([][]float32, len(r.Inputs))
			for i, in := range r.Inputs {
				vs[i] = []float32{float32(len(in))}
			}
			return openaitest.Embeddings(vs...)
		}),
		openaitest.ServerError(),
	)
	client := newClient(s)
	req := openai.EmbeddingRequestStrings{Input: []string{"a", "bcd"}, Model: openai.SmallEmbedding3}
	r1, err := client.CreateEmbeddings(context.Background(), req)
	if err != nil || r1.Data[1].Embedding[1] != 1 {
		t.Fatalf("scripted: %+v, %v", r1, err)
	}
	r2, err := client.CreateEmbeddings(context.Background(), req)
	if err != nil || r2.Data[0].Embedding[0] != 1 || r2.Data[1].Embedding[0] != 3 {
		t.Fatalf("func: %+v, %v", r2, err)
	}
	var apiErr *openai.APIError
	if _, err := client.CreateEmbeddings(context.Background(), req); !errors.As(err, &apiErr) || apiErr.HTTPStatusCode != 500 {
		t.Errorf("error reply: %v", err)
	}
}

func TestEmbeddingsConcurrentCounts(t *testing.T) {
	s := openaitest.New(t)
	client := newClient(s)
	const n = 30
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			inputs := make([]string, i%4+1)
			for j := range inputs {
				inputs[j] = "text"
			}
			if _, err := client.CreateEmbeddings(context.Background(), openai.EmbeddingRequestStrings{
				Input: inputs, Model: openai.SmallEmbedding3,
			}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	wantInputs := 0
	for i := range n {
		wantInputs += i%4 + 1
	}
	if s.EmbeddingRequests() != n || s.EmbeddingInputs() != wantInputs {
		t.Errorf("counts = %d, %d; want %d, %d", s.EmbeddingRequests(), s.EmbeddingInputs(), n, wantInputs)
	}
}

func cosine(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	return dot / math.Sqrt(na*nb)
}

func TestEmbedProperties(t *testing.T) {
	a := openaitest.Embed("invoice total amount due", 64)
	b := openaitest.Embed("Invoice: total amount", 64)
	c := openaitest.Embed("weather forecast for tomorrow", 64)
	if cosine(a, b) <= cosine(a, c) {
		t.Errorf("texts sharing words are not closer: %.3f <= %.3f", cosine(a, b), cosine(a, c))
	}
	for _, v := range [][]float32{a, openaitest.Embed("", 8), openaitest.Embed("!!!", 8)} {
		if n := cosine(v, v); math.Abs(n-1) > 1e-5 {
			t.Errorf("not a unit vector / NaN: %v", v)
		}
		var norm float64
		for _, x := range v {
			norm += float64(x) * float64(x)
		}
		if math.Abs(norm-1) > 1e-5 {
			t.Errorf("norm² = %v", norm)
		}
	}
	if d := cmp.Diff(openaitest.Embed("same", 8), openaitest.Embed("same", 8)); d != "" {
		t.Error("Embed is not deterministic")
	}
}

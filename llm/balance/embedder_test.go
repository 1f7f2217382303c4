package balance_test

import (
	"context"
	"testing"

	"github.com/chorus-go/chorus/internal/ollamatest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/balance"
	"github.com/chorus-go/chorus/llm/ollama"
)

// An embedding that fails with 503 on one replica is answered by the other.
func TestEmbedderFailover(t *testing.T) {
	var embs []llm.Embedder
	var srvs []*ollamatest.Server
	for range 2 {
		s := ollamatest.New(t)
		e, err := ollama.NewEmbedder("nomic-embed-text", ollama.WithHost(s.URL().String()), ollama.WithHTTPClient(s.HTTPClient()), ollama.WithMaxRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		embs, srvs = append(embs, e), append(srvs, s)
	}
	srvs[0].EnqueueEmbed(ollamatest.Error(503, "busy"))
	b := balance.MustEmbedder(embs, balance.WithRoundRobin())
	vs, err := b.Embed(context.Background(), []string{"a", "b"})
	if err != nil || len(vs) != 2 || len(srvs[1].EmbedRequests()) != 1 {
		t.Fatalf("%d vectors, %v", len(vs), err)
	}
	if d := b.Describe(); len(d.Children) != 2 || b.Dimensions() == 0 {
		t.Errorf("%+v, %d dims", d, b.Dimensions())
	}
}

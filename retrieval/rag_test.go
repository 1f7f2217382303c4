package retrieval_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/retrieval"
)

// fakeChat is a chat model that answers with reply(request) and records
// the requests it got.
type fakeChat struct {
	reply func(req llm.Request) (string, error)

	mu   sync.Mutex
	reqs []llm.Request
}

func (f *fakeChat) Chat(ctx context.Context, req llm.Request) (llm.Response, error) {
	if err := ctx.Err(); err != nil {
		return llm.Response{}, err
	}
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	f.mu.Unlock()
	text, err := f.reply(req)
	if err != nil {
		return llm.Response{}, err
	}
	return llm.Response{Message: llm.Assistant(text), Usage: llm.Usage{InputTokens: 10, OutputTokens: 5}}, nil
}

func (f *fakeChat) requests() []llm.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.reqs)
}

func (f *fakeChat) Describe() chain.Node { return chain.Node{Kind: chain.KindModel, Name: "fake:chat"} }

// knowledge is a small corpus for the chain tests.
var knowledge = []retrieval.Document{
	{ID: "vote", Text: "A vote chain asks several models and takes the majority answer.", Metadata: map[string]any{"topic": "ensembles"}},
	{ID: "retry", Text: "Retry runs a chain again with exponential backoff when it fails.", Metadata: map[string]any{"topic": "resilience"}},
	{ID: "batch", Text: "Batch gathers concurrent calls into one batched call for throughput.", Metadata: map[string]any{"topic": "throughput"}},
	{ID: "ocr", Text: "Tesseract reads the text of scanned documents in the OCR stage.", Metadata: map[string]any{"topic": "ocr"}},
}

func newKnowledgeStore(t *testing.T, e llm.Embedder) *retrieval.MemoryStore {
	t.Helper()
	s := retrieval.MustMemoryStore()
	n, err := retrieval.Ingest(e, s, nil).Run(context.Background(), knowledge)
	if err != nil || n != len(knowledge) {
		t.Fatalf("ingest: %d, %v", n, err)
	}
	return s
}

func TestRetriever(t *testing.T) {
	e := retrieval.MustHashEmbedder(512)
	s := newKnowledgeStore(t, e)
	r := retrieval.Retriever(e, s, 2)
	got, err := r.Run(context.Background(), "which chain takes the majority answer of several models?")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != "vote" {
		t.Fatalf("retrieved %v", docIDs(got))
	}
	filtered := retrieval.Retriever(e, s, 3, retrieval.Where(retrieval.Eq("topic", "ocr")), retrieval.MinScore(-1))
	got, err = filtered.Run(context.Background(), "majority answer")
	if err != nil || !slices.Equal(docIDs(got), []string{"ocr"}) {
		t.Fatalf("filtered: %v %v", docIDs(got), err)
	}
	if _, err := r.Run(context.Background(), "  "); !errors.Is(err, retrieval.ErrEmptyQuery) {
		t.Fatalf("blank query: %v", err)
	}
	graph := chain.Mermaid(r)
	for _, want := range []string{"retrieve", "hash:512", "search"} {
		if !strings.Contains(graph, want) {
			t.Fatalf("graph lacks %q:\n%s", want, graph)
		}
	}
}

func TestRAG(t *testing.T) {
	e := retrieval.MustHashEmbedder(512)
	s := newKnowledgeStore(t, e)
	model := &fakeChat{reply: func(req llm.Request) (string, error) {
		return "Use a vote chain [1]; add retries for flaky models [2][7].", nil
	}}
	rag := retrieval.RAG(retrieval.Retriever(e, s, 3), model, retrieval.WithOptions(llm.Options{MaxTokens: 100}))
	var tokens int
	ctx := chain.WithHooks(context.Background(), chain.HookFuncs{OnEvent: func(_ context.Context, _ chain.NodeInfo, ev chain.Event) {
		if ev.Kind == chain.EventTokens {
			tokens += ev.InputTokens + ev.OutputTokens
		}
	}})
	ans, err := rag.Run(ctx, "Which chain takes the majority answer of several models?")
	if err != nil {
		t.Fatal(err)
	}
	if len(ans.Sources) != 3 || ans.Sources[0].ID != "vote" {
		t.Fatalf("sources %v", docIDs(ans.Sources))
	}
	if !slices.Equal(ans.Citations, []int{1, 2}) {
		t.Fatalf("citations %v (the out-of-range [7] must be dropped)", ans.Citations)
	}
	if cited := ans.Cited(); len(cited) != 2 || cited[0].ID != "vote" || cited[1].ID != ans.Sources[1].ID {
		t.Fatalf("cited %v", docIDs(cited))
	}
	if tokens != 15 {
		t.Fatalf("hooks saw %d tokens, want 15", tokens)
	}
	reqs := model.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d model calls", len(reqs))
	}
	req := reqs[0]
	if req.MaxTokens != 100 || len(req.Messages) != 2 || req.Messages[0].Role != llm.RoleSystem {
		t.Fatalf("request %+v", req)
	}
	user := req.Messages[1].Text()
	for _, want := range []string{"[1] A vote chain asks several models", "[2] ", "[3] ", "Question: Which chain takes the majority answer"} {
		if !strings.Contains(user, want) {
			t.Fatalf("prompt lacks %q:\n%s", want, user)
		}
	}
	if err := req.Validate(); err != nil {
		t.Fatalf("the RAG chain built an invalid request: %v", err)
	}
	graph := chain.Mermaid(rag)
	for _, want := range []string{"rag", "retrieve", "answer", "fake:chat", "cite"} {
		if !strings.Contains(graph, want) {
			t.Fatalf("graph lacks %q:\n%s", want, graph)
		}
	}
	for _, plumbing := range []string{"join", "identity", "gather", "request", "prompt", "func"} {
		if strings.Contains(graph, plumbing) {
			t.Fatalf("graph shows plumbing %q:\n%s", plumbing, graph)
		}
	}
}

func TestRAGOptionsAndErrors(t *testing.T) {
	e := retrieval.MustHashEmbedder(64)
	empty := retrieval.MustMemoryStore()
	model := &fakeChat{reply: func(req llm.Request) (string, error) { return "I do not know.", nil }}
	rag := retrieval.RAG(retrieval.Retriever(e, empty, 3), model, retrieval.SystemPrompt(""),
		retrieval.UserPrompt(func(q string, src []retrieval.Document) string {
			return "Q=" + q + " " + retrieval.FormatSources(src)
		}))
	ans, err := rag.Run(context.Background(), "anything?")
	if err != nil || ans.Text != "I do not know." || len(ans.Citations) != 0 || len(ans.Sources) != 0 {
		t.Fatalf("%+v %v", ans, err)
	}
	req := model.requests()[0]
	if len(req.Messages) != 1 || req.Messages[0].Text() != "Q=anything? (no sources)" {
		t.Fatalf("messages %+v", req.Messages)
	}

	boom := errors.New("model down")
	failing := retrieval.RAG(retrieval.Retriever(e, empty, 3), &fakeChat{reply: func(llm.Request) (string, error) { return "", boom }})
	if _, err := failing.Run(context.Background(), "q"); !errors.Is(err, boom) {
		t.Fatalf("model error: %v", err)
	}
	if _, err := failing.Run(context.Background(), ""); !errors.Is(err, retrieval.ErrEmptyQuery) {
		t.Fatalf("empty question: %v", err)
	}
}

// hybridFake is a HybridSearcher over a MemoryStore: keyword hits are the
// documents containing the query's first word.
type hybridFake struct {
	*retrieval.MemoryStore
	gotText string
}

func (h *hybridFake) HybridSearch(ctx context.Context, text string, v []float32, k int, opts ...retrieval.SearchOption) ([]retrieval.Document, error) {
	h.gotText = text
	vec, err := h.Search(ctx, v, k, opts...)
	if err != nil {
		return nil, err
	}
	var kw []retrieval.Document
	for _, d := range knowledge {
		if strings.Contains(strings.ToLower(d.Text), strings.Fields(strings.ToLower(text))[0]) {
			kw = append(kw, d)
		}
	}
	return retrieval.FuseRRF(k, vec, kw), nil
}

func TestHybridRetriever(t *testing.T) {
	e := retrieval.MustHashEmbedder(512)
	h := &hybridFake{MemoryStore: newKnowledgeStore(t, e)}
	got, err := retrieval.HybridRetriever(e, h, 2).Run(context.Background(), "tesseract majority answer")
	if err != nil {
		t.Fatal(err)
	}
	if h.gotText != "tesseract majority answer" || len(got) != 2 || got[0].ID != "ocr" && got[1].ID != "ocr" {
		t.Fatalf("hybrid: %q %v", h.gotText, docIDs(got))
	}
}

func TestEmbedDocuments(t *testing.T) {
	e := retrieval.MustHashEmbedder(16)
	docs := make([]retrieval.Document, 300)
	for i := range docs {
		docs[i] = retrieval.Document{ID: "d", Text: "text number " + strings.Repeat("x", i%7)}
	}
	docs[5].Embedding = []float32{9}
	out, err := retrieval.EmbedDocuments(context.Background(), e, docs)
	if err != nil {
		t.Fatal(err)
	}
	if docs[0].Embedding != nil || out[5].Embedding[0] != 9 || len(out[299].Embedding) != 16 {
		t.Fatal("EmbedDocuments changed its input or skipped documents")
	}
	bad := badEmbedder{}
	if _, err := retrieval.EmbedDocuments(context.Background(), bad, docs); err == nil || !strings.Contains(err.Error(), "returned 0 vectors") {
		t.Fatalf("short embedder: %v", err)
	}
}

type badEmbedder struct{}

func (badEmbedder) Embed(context.Context, []string) ([][]float32, error) { return nil, nil }
func (badEmbedder) Dimensions() int                                      { return 0 }

func docIDs(docs []retrieval.Document) []string {
	var out []string
	for _, d := range docs {
		out = append(out, d.ID)
	}
	return out
}

func TestNewRAGConfigErrors(t *testing.T) {
	e := retrieval.MustHashEmbedder(64)
	r := retrieval.Retriever(e, retrieval.MustMemoryStore(), 3)
	model := &fakeChat{}
	for name, build := range map[string]func() (chain.Chain[string, retrieval.Answer], error){
		"nil retriever": func() (chain.Chain[string, retrieval.Answer], error) { return retrieval.NewRAG(nil, model) },
		"nil model":     func() (chain.Chain[string, retrieval.Answer], error) { return retrieval.NewRAG(r, nil) },
		"nil user prompt": func() (chain.Chain[string, retrieval.Answer], error) {
			return retrieval.NewRAG(r, model, retrieval.UserPrompt(nil))
		},
		"negative temperature": func() (chain.Chain[string, retrieval.Answer], error) {
			return retrieval.NewRAG(r, model, retrieval.WithOptions(llm.Options{Temperature: ptr(-1.0)}))
		},
	} {
		if _, err := build(); !errors.Is(err, chain.ErrConfig) || !strings.Contains(err.Error(), "retrieval") {
			t.Errorf("%s: NewRAG error = %v, want one matching chain.ErrConfig", name, err)
		}
	}
}

func ptr[T any](v T) *T { return &v }

package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/internal/ollamatest"
	"github.com/chorus-go/chorus/retrieval"
)

// With OLLAMA_HOST set, Ollama's llama3.2 answers its ping and joins the
// vote; the server lacks the embedding model, so the index falls back to
// the hashing embedder and the report says why.
func TestRunOllama(t *testing.T) {
	noModels(t)
	s := ollamatest.New(t, ollamatest.WithModels("llama3.2"), ollamatest.WithDefault(func(req ollamatest.Request) ollamatest.Reply {
		if req.Chat == nil || len(req.Chat.Messages) == 0 {
			return ollamatest.Error(400, "scripted: not a chat")
		}
		system, user := req.Chat.Messages[0].Content, req.Chat.Messages[len(req.Chat.Messages)-1].Content
		switch {
		case strings.HasPrefix(system, "Classify"):
			label := "letter"
			if strings.Contains(user, "INVOICE") {
				label = "invoice"
			}
			return ollamatest.JSON(map[string]string{"label": label})
		case system == retrieval.DefaultRAGSystemPrompt:
			return ollamatest.Text("It is 1,234.50 EUR [1].")
		}
		return ollamatest.Error(500, "scripted: no extraction")
	}))
	t.Setenv("OLLAMA_HOST", s.URL().String())

	dir := writeTexts(t)
	code, stdout, stderr := runProgram(t, []string{"-json", "-ask", "What is the invoice total?", dir + "/invoice.txt", dir + "/letter.txt"}, nil, s.HTTPClient())
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, want := range []string{
		"classifier vote: rules, naive-bayes (local); ollama:llama3.2",
		"index: hash-256 (local) embeddings",
		"not used: ollama:nomic-embed-text (embeddings):",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	var r Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	for _, d := range r.Documents {
		b := d.Vote.Ballots[len(d.Vote.Ballots)-1]
		if b.Member != "ollama:llama3.2" || b.Error != "" || b.Answer != d.Type {
			t.Errorf("%s: the model's ballot %+v (type %s)", d.Name, b, d.Type)
		}
		if d.Extractor != "rules" || len(d.FellBack) == 0 {
			t.Errorf("%s: extracted by %s after %q", d.Name, d.Extractor, d.FellBack)
		}
	}
	if a := r.Answers[0]; a.By != "rag ollama:llama3.2" || len(a.Citations) != 1 {
		t.Errorf("answer %+v", a)
	}
}

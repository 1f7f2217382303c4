package main

import (
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorus-go/chorus/examples/internal/faulty"
	"github.com/chorus-go/chorus/examples/internal/reliable"
	"github.com/chorus-go/chorus/internal/ollamatest"
	"github.com/chorus-go/chorus/internal/openaitest"
)

// fastRetries is the guard of the tests' models: the default layers, with
// short waits between retries.
var fastRetries = reliable.Settings{Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}

// Against an OpenAI-compatible server that fails one chat or embedding
// request in five (429 with Retry-After, 500, 503, a dropped connection,
// a garbled body), every document is analysed by the model, every
// question answered by it, the exit status is 0, and the report counts
// one retry per failure the server injected, and the one fallback the
// script asks for (the letter's extraction, refused with a 400).
func TestRunFlakyServer(t *testing.T) {
	noModels(t)
	s := openaitest.New(t, openaitest.WithAPIKey("sk-test"))
	var calls atomic.Int64
	sched := faulty.Schedule{RetryAfter: 20 * time.Millisecond}
	sched.Serve(s, scriptedModel(t, &calls))
	t.Setenv("OPENAI_API_KEY", "sk-test")
	t.Setenv("OPENAI_BASE_URL", s.URL())

	args := []string{"-json"}
	for _, q := range sampleQuestions {
		args = append(args, "-ask", q)
	}
	code, stdout, stderr := runProgram(t, append(args, writeTexts(t)), nil, s.HTTPClient())
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var r Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("stdout is not the JSON report: %v\n%s", err, stdout)
	}
	checkDocuments(t, r.Documents)
	for _, d := range r.Documents {
		if b := d.Vote.Ballots[len(d.Vote.Ballots)-1]; b.Member != "openai:gpt-4o-mini" || b.Error != "" {
			t.Errorf("%s: the model's ballot %+v", d.Name, b)
		}
		if want := "openai:gpt-4o-mini"; d.Type != Letter && d.Extractor != want {
			t.Errorf("%s: extracted by %s after %q", d.Name, d.Extractor, d.FellBack)
		}
	}
	if len(r.Answers) != len(sampleQuestions) {
		t.Fatalf("%d answers", len(r.Answers))
	}
	for _, a := range r.Answers {
		if a.Error != "" || a.By != "rag openai:gpt-4o-mini" || len(a.FellBack) != 0 {
			t.Errorf("answer %+v", a)
		}
	}
	if sched.Injected() < len(faulty.Kinds) {
		t.Fatalf("only %s", sched.String())
	}
	rel := r.Reliability
	if rel == nil {
		t.Fatal("the report says nothing of reliability")
	}
	if rel.Retries != sched.Injected() || rel.Fallbacks != 1 {
		t.Errorf("%d retries and %d fallbacks reported; the server: %s", rel.Retries, rel.Fallbacks, sched.String())
	}
	for _, want := range []string{"reliability: ", "openai:gpt-4o-mini", "1 fallback (to rules:letter 1)"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	t.Logf("%s; %s", sched.String(), rel.Summary)
}

// A configured OpenAI model the server does not have is checked once,
// said in one line with the fix, and left out: the local models analyse
// every document and answer the questions.
func TestRunMissingOpenAIModel(t *testing.T) {
	noModels(t)
	s := openaitest.New(t, openaitest.WithAPIKey("sk-test"), openaitest.WithModels("gpt-4o", "text-embedding-3-small"))
	t.Setenv("OPENAI_API_KEY", "sk-test")
	t.Setenv("OPENAI_BASE_URL", s.URL())

	code, stdout, stderr := runProgram(t, []string{"-ask", "What is the total due on the invoice?", writeTexts(t)}, nil, s.HTTPClient())
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	line := `not used: openai:gpt-4o-mini: the server at ` + s.URL() + ` has no model "gpt-4o-mini" (name one it has with -models openai:NAME)`
	if n := strings.Count(stdout, line); n != 1 {
		t.Errorf("the missing model is said %d times, want once as %q:\n%s", n, line, stdout)
	}
	for _, want := range []string{"classifier vote: rules, naive-bayes (local)\n", "extraction: rules (local)", "A: Invoice total: 1,234.50 EUR.", "fell back: nothing"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "404") || strings.Contains(stdout, "reliability:") {
		t.Errorf("stdout:\n%s", stdout)
	}
	for _, req := range s.Requests() {
		if req.Path != "/v1/models/gpt-4o-mini" {
			t.Errorf("request %s %s: the model should have been asked about once, then left out", req.Method, req.Path)
		}
	}
}

// An Ollama model the server does not have is found by the ping, said
// once with "ollama pull", and left out.
func TestRunMissingOllamaModel(t *testing.T) {
	noModels(t)
	s := ollamatest.New(t, ollamatest.WithModels("qwen3"))
	t.Setenv("OLLAMA_HOST", s.URL().String())

	code, stdout, stderr := runProgram(t, []string{"-models", "ollama:llama3.2", writeTexts(t)}, nil, s.HTTPClient())
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	line := "not used: ollama:llama3.2: the Ollama server at " + s.URL().String() + " does not have it (ollama pull llama3.2)"
	if n := strings.Count(stdout, line); n != 1 {
		t.Errorf("the missing model is said %d times, want once as %q:\n%s", n, line, stdout)
	}
	if strings.Contains(stdout, "error") {
		t.Errorf("stdout:\n%s", stdout)
	}
	for _, req := range s.Requests() {
		if req.Show == nil {
			t.Errorf("request %s %s: the model should have been asked about once, then left out", req.Method, req.Path)
		}
	}
}

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The bundled images stay small (go generate remakes them with gen.go).
func TestSampleSizes(t *testing.T) {
	for _, d := range sampleDocuments() {
		b, err := samples.ReadFile("testdata/" + d.Name + ".png")
		if err != nil {
			t.Fatal(err)
		}
		if len(b) >= 150<<10 {
			t.Errorf("%s.png: %d bytes, want under 150 KB", d.Name, len(b))
		}
	}
}

// -graph prints the inference graph without analysing anything.
func TestGraph(t *testing.T) {
	noModels(t)
	code, stdout, stderr := runProgram(t, []string{"-graph"}, nil, nil)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"flowchart LR", `["document"]`, "read: route", "classify: vote (weighted, quorum 1)", "naive-bayes (model)", "extract: route", "rules:invoice", `["index"]`, "split", "upsert", "documents: map", "questions: map", `["ask"]`, `["retrieve"]`, "best sentences"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("graph lacks %q:\n%s", want, stdout)
		}
	}
	// The steps over the state and the question kept with its sources
	// draw as the stages they run, not as plumbing.
	for _, plumbing := range []string{`"join"`, `"gather"`, `"identity"`, `"func"`} {
		if strings.Contains(stdout, plumbing) {
			t.Errorf("graph shows %s:\n%s", plumbing, stdout)
		}
	}
	code, stdout, _ = runProgram(t, []string{"-graph=dot"}, nil, nil)
	if code != 0 || !strings.HasPrefix(stdout, "digraph chain {") {
		t.Errorf("-graph=dot: exit %d:\n%s", code, stdout)
	}
	dot := filepath.Join(t.TempDir(), "g.dot")
	if code, _, stderr := runProgram(t, []string{"-dot", dot, "-graph"}, nil, nil); code != 0 {
		t.Fatalf("-dot: exit %d: %s", code, stderr)
	}
	if b, err := os.ReadFile(dot); err != nil || !bytes.Contains(b, []byte("digraph")) {
		t.Errorf("-dot wrote %q, %v", b, err)
	}
}

func TestFlagErrors(t *testing.T) {
	noModels(t)
	for _, args := range [][]string{{"-no-such-flag"}, {"-models", "bard:x"}, {"-graph=svg"}} {
		if code, _, _ := runProgram(t, args, nil, nil); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if code, _, stderr := runProgram(t, []string{"-models", "none", filepath.Join(t.TempDir(), "missing.png")}, nil, nil); code != 1 || !strings.Contains(stderr, "missing.png") {
		t.Errorf("missing file: exit %d: %s", code, stderr)
	}
}

func TestParseModels(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []ModelSpec
		err  bool
	}{
		{"openai:gpt-4o-mini,ollama:llama3.2", []ModelSpec{{"openai", "gpt-4o-mini"}, {"ollama", "llama3.2"}}, false},
		{"openai, ollama", []ModelSpec{{"openai", defaultOpenAIModel}, {"ollama", defaultOllamaModel}}, false},
		{"none", []ModelSpec{}, false},
		{"bard:pro", nil, true},
	} {
		got, err := ParseModels(c.in)
		if (err != nil) != c.err || !slices.Equal(got, c.want) {
			t.Errorf("ParseModels(%q) = %v, %v; want %v (error %v)", c.in, got, err, c.want, c.err)
		}
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/examples/internal/faulty"
	"github.com/chorus-go/chorus/examples/internal/reliable"
	"github.com/chorus-go/chorus/internal/ollamatest"
	"github.com/chorus-go/chorus/internal/openaitest"
)

// fastRetries is the guard of the tests' LLMs: the default layers, with
// short waits between retries.
var fastRetries = reliable.Settings{Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}

// runProgram runs the program and returns its exit status, stdout and
// stderr.
func runProgram(t *testing.T, args []string, vars map[string]string, e env) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	e.stdout, e.stderr, e.reliability = &stdout, &stderr, fastRetries
	e.getenv = func(k string) string { return vars[k] }
	code := program(ctx, args, e)
	return code, stdout.String(), stderr.String()
}

// Against an OpenAI-compatible server that fails one request in five
// (429 with Retry-After, 500, 503, a dropped connection, a garbled body),
// the LLM's ballot is in every vote, every sample is recognised, the exit
// status is 0, and the last line counts one retry per injected failure.
func TestRunFlakyServer(t *testing.T) {
	s := openaitest.New(t, openaitest.WithAPIKey("sk-test"))
	want := expected()
	sched := faulty.Schedule{RetryAfter: 20 * time.Millisecond}
	sched.Serve(s, openaitest.Func(func(req *openaitest.Request) openaitest.Reply {
		labels := want[req.LastUserMessage()]
		label := labels[1]
		if strings.Contains(req.Chat.Messages[0].Content, `"bird", "mammal", "reptile"`) {
			label = labels[0]
		}
		b, _ := json.Marshal(map[string]string{"label": label})
		return openaitest.Text(string(b))
	}))
	vars := map[string]string{"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": s.URL()}
	code, stdout, stderr := runProgram(t, nil, vars, env{httpClient: s.HTTPClient()})
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if n := strings.Count(stdout, "openai="); n != 2*len(samples) {
		t.Errorf("%d ballots of the LLM, want %d:\n%s", n, 2*len(samples), stdout)
	}
	for _, sm := range samples {
		if !strings.Contains(stdout, fmt.Sprintf("species: %-12s", sm.species)) {
			t.Errorf("%s not recognised:\n%s", sm.species, stdout)
		}
	}
	if strings.Contains(stdout, "failed") {
		t.Errorf("a ballot failed:\n%s", stdout)
	}
	if sched.Injected() < len(faulty.Kinds) {
		t.Fatalf("only %s", sched.String())
	}
	line := fmt.Sprintf("router: reliability: %d retries (openai:gpt-4o-mini %[1]d), 0 fallbacks\n", sched.Injected())
	if !strings.HasSuffix(stderr, line) {
		t.Errorf("stderr does not end with %q; the server: %s\n%s", line, sched.String(), stderr)
	}
}

// LLMs their servers do not have are said once each, with the fix, and
// left out: the local models recognise the texts.
func TestRunMissingModels(t *testing.T) {
	oa := openaitest.New(t, openaitest.WithAPIKey("sk-test"), openaitest.WithModels("gpt-4o"))
	ol := ollamatest.New(t, ollamatest.WithModels("qwen3"))
	vars := map[string]string{"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": oa.URL(), "OLLAMA_HOST": ol.URL().String()}
	// One client reaches both servers; its idle connections are closed
	// when oa closes.
	client := oa.HTTPClient()
	code, stdout, stderr := runProgram(t, []string{"Something hooted from the barn at night."}, vars, env{httpClient: client})
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, want := range []string{
		`router: not used: openai: the server at ` + oa.URL() + ` has no model "gpt-4o-mini" (choose one it has with -openai-model)` + "\n",
		`router: not used: ollama: the server at ` + ol.URL().String() + ` has no model "llama3.2" (ollama pull llama3.2, or choose one it has with -ollama-model)` + "\n",
	} {
		if strings.Count(stderr, want) != 1 {
			t.Errorf("stderr does not say once %q:\n%s", want, stderr)
		}
	}
	if !strings.Contains(stdout, "voters: rules, naive bayes\n") || !strings.Contains(stdout, "species: owl") || strings.Contains(stderr, "reliability") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", stdout, stderr)
	}
}

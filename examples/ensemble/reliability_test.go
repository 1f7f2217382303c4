package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/examples/internal/faulty"
	"github.com/chorus-go/chorus/examples/internal/reliable"
	"github.com/chorus-go/chorus/internal/openaitest"
)

// fastRetries is the guard of the tests' models: the default layers, with
// short waits between retries.
var fastRetries = reliable.Settings{Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}

// Against an OpenAI-compatible server that fails one request in five
// (429 with Retry-After, 500, 503, a dropped connection, a garbled body),
// five runs with two models each have both models write and score (no
// local stand-in), exit 0, and their last lines count, together, one
// retry per injected failure.
func TestRunFlakyServer(t *testing.T) {
	s := openaitest.New(t, openaitest.WithAPIKey("sk-test"))
	const review = "The Kettle Pro is superb: fast, quiet and beautifully made. I recommend it."
	sched := faulty.Schedule{RetryAfter: 20 * time.Millisecond}
	sched.Serve(s, openaitest.Func(func(req *openaitest.Request) openaitest.Reply {
		if strings.HasPrefix(req.Chat.Messages[0].Content, "Classify") {
			return openaitest.JSON(map[string]any{"label": "positive", "confidence": 0.9})
		}
		return openaitest.Text(review)
	}))
	getenv := environment(t, map[string]string{"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": s.URL()})
	counted := regexp.MustCompile(`ensemble: reliability: (\d+) retr(y|ies)[^\n]*, 0 fallbacks\n$`)
	retries := 0
	for seed := range 5 {
		code, stdout, stderr := runEnsemble(t, []string{"-json", "-seed", strconv.Itoa(seed + 1), "-models", "openai:gpt-4o-mini,openai:gpt-4o"}, getenv, s)
		if code != 0 {
			t.Fatalf("run %d: exit %d: %s", seed, code, stderr)
		}
		var r Result
		if err := json.Unmarshal([]byte(stdout), &r); err != nil {
			t.Fatal(err)
		}
		for i, want := range []string{"openai:gpt-4o-mini", "openai:gpt-4o"} {
			if c := r.Candidates[i]; c.Generator != want || c.Text != review || c.FellBack != "" || c.Agreement < 0.5 {
				t.Errorf("run %d: candidate %+v", seed, c)
			}
		}
		m := counted.FindStringSubmatch(stderr)
		if m == nil {
			t.Fatalf("run %d: stderr does not end with the reliability line:\n%s", seed, stderr)
		}
		n, _ := strconv.Atoi(m[1])
		retries += n
	}
	if sched.Injected() < len(faulty.Kinds) {
		t.Fatalf("only %s", sched.String())
	}
	if retries != sched.Injected() {
		t.Errorf("%d retries counted; the server: %s", retries, sched.String())
	}
}

// A model the server does not have is said once, with the fix, and left
// out: the local generators write.
func TestRunMissingModel(t *testing.T) {
	s := openaitest.New(t, openaitest.WithAPIKey("sk-test"), openaitest.WithModels("gpt-4o"))
	getenv := environment(t, map[string]string{"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": s.URL()})
	code, _, stderr := runEnsemble(t, nil, getenv, s)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := fmt.Sprintf("not used: openai:gpt-4o-mini: the server at %s has no model \"gpt-4o-mini\" (choose one it has with -models openai:NAME)\n", s.URL())
	if strings.Count(stderr, want) != 1 || !strings.Contains(stderr, "generators: markov, template") || strings.Contains(stderr, "reliability") {
		t.Errorf("stderr:\n%s\nwant once %q", stderr, want)
	}
	for _, r := range s.Requests() {
		if r.Chat != nil {
			t.Errorf("a chat request was sent: %+v", r.Chat)
		}
	}
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/internal/openaitest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// environment returns a getenv with the given variables and Ollama at a
// port that drops every connection. The test holds the port, so no other
// test server can be given it and answer in Ollama's place.
func environment(t *testing.T, vars map[string]string) func(string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return // closed by the cleanup
			}
			c.Close()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
	})
	port := ln.Addr().(*net.TCPAddr).Port
	return func(k string) string {
		if k == "OLLAMA_HOST" {
			return "127.0.0.1:" + strconv.Itoa(port)
		}
		return vars[k]
	}
}

func runEnsemble(t *testing.T, args []string, getenv func(string) string, s *openaitest.Server) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	var code int
	if s != nil {
		code = run(ctx, args, &stdout, &stderr, getenv, s.HTTPClient(), fastRetries)
	} else {
		code = run(ctx, args, &stdout, &stderr, getenv, nil, fastRetries)
	}
	return code, stdout.String(), stderr.String()
}

// With no model: the Markov chain and the template write, naive Bayes
// scores, the graph and the best text are printed, and the same prompt
// and seed give the same texts.
func TestRunLocal(t *testing.T) {
	getenv := environment(t, nil)
	code, stdout, stderr := runEnsemble(t, nil, getenv, nil)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"flowchart LR", "generate: parallel", "markov (model)", "template (model)", "score: vote (weighted mean", "naive-bayes (model)", "pick", "prompt: Write a short review of the Kettle Pro.", "best: "} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if !strings.Contains(stderr, "models: generators: markov, template") || !strings.Contains(stderr, "scorers (weighted mean): naive-bayes") {
		t.Errorf("stderr: %s", stderr)
	}
	_, again, _ := runEnsemble(t, nil, getenv, nil)
	if again != stdout {
		t.Errorf("two runs differ:\n%s\n---\n%s", stdout, again)
	}

	code, stdout, _ = runEnsemble(t, []string{"-json", "-prompt", "Write a review of the Brew Master.", "-seed", "5"}, getenv, nil)
	if code != 0 {
		t.Fatal(code)
	}
	var r Result
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Candidates) != 2 || r.Candidates[0].Generator != "markov" || r.Candidates[1].Generator != "template" {
		t.Fatalf("candidates %+v", r.Candidates)
	}
	for i, c := range r.Candidates {
		if !strings.Contains(c.Text, "Brew Master") || strings.Contains(c.Text, productToken) || c.Score < 0 || c.Score > 1 {
			t.Errorf("candidate %+v", c)
		}
		if c.Score > r.Candidates[r.Best].Score {
			t.Errorf("candidate %d scores %.2f, above the best's %.2f", i, c.Score, r.Candidates[r.Best].Score)
		}
	}
}

// A configured model generates in the first slot and joins the scoring;
// when it fails, the Markov chain writes instead.
func TestRunModel(t *testing.T) {
	s := openaitest.New(t, openaitest.WithAPIKey("sk-test"))
	const review = "The Kettle Pro is superb: fast, quiet and beautifully made. I recommend it."
	s.SetDefault(openaitest.EndpointChat, openaitest.Func(func(req *openaitest.Request) openaitest.Reply {
		if strings.HasPrefix(req.Chat.Messages[0].Content, "Classify") {
			return openaitest.JSON(map[string]any{"label": "positive", "confidence": 0.9})
		}
		return openaitest.Text(review)
	}))
	getenv := environment(t, map[string]string{"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": s.URL()})
	code, stdout, stderr := runEnsemble(t, []string{"-json"}, getenv, s)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "generators: openai:gpt-4o-mini (else markov), template") || !strings.Contains(stderr, "scorers (weighted mean): naive-bayes, openai:gpt-4o-mini") {
		t.Errorf("stderr: %s", stderr)
	}
	var r Result
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	c := r.Candidates[0]
	if c.Generator != "openai:gpt-4o-mini" || c.Text != review || r.Best != 0 {
		t.Errorf("result %+v", r)
	}
	// The model scores 0.9 with weight 2, naive Bayes its own with weight 1.
	bayes := localBayes(t).Score(review)
	if bayes < 0 || bayes > 1 || math.Abs(c.Score-(bayes+1.8)/3) > 1e-9 {
		t.Errorf("score %v is not the weighted mean of naive Bayes's %v and the model's 0.9", c.Score, bayes)
	}

	s.SetDefault(openaitest.EndpointChat, openaitest.BadRequest("scripted failure"))
	code, stdout, stderr = runEnsemble(t, []string{"-json"}, getenv, s)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	if c := r.Candidates[0]; c.Generator != "markov" || !strings.Contains(c.FellBack, "scripted failure") {
		t.Errorf("fallback candidate %+v", c)
	}
}

// localBayes is the naive Bayes scorer Build trains.
func localBayes(t *testing.T) *Bayes {
	t.Helper()
	read := func(name string) string {
		b, err := corpus.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	b, err := TrainBayes(lines(read("positive.txt")), lines(read("negative.txt")))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

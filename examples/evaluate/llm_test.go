package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/chorus-go/chorus/chain/eval"
	"github.com/chorus-go/chorus/examples/internal/doctype"
	"github.com/chorus-go/chorus/internal/openaitest"
)

// With OPENAI_API_KEY and OPENAI_BASE_URL set, the model joins the vote
// with weight 1.5. Scripted to be always right, it is the best member,
// and the ensemble follows it except where the rules and naive Bayes
// agree against it.
func TestRunModel(t *testing.T) {
	set, err := eval.ReadExamples[string, doctype.Type](bytes.NewReader(labelled))
	if err != nil {
		t.Fatal(err)
	}
	truth := map[string]string{}
	for _, e := range set {
		truth[strings.TrimSpace(e.Input)] = string(e.Want)
	}
	s := openaitest.New(t, openaitest.WithAPIKey("sk-test"))
	s.SetDefault(openaitest.EndpointChat, openaitest.Func(func(req *openaitest.Request) openaitest.Reply {
		label, ok := truth[strings.TrimSpace(req.LastUserMessage())]
		if !ok {
			return openaitest.BadRequest("scripted: unknown document")
		}
		return openaitest.JSON(map[string]string{"label": label})
	}))
	getenv := func(k string) string {
		return map[string]string{"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": s.URL()}[k]
	}
	out, stderr := runJSON(t, []string{"-out", t.TempDir()}, getenv, s.HTTPClient())
	if !strings.Contains(stderr, "vote of rules, naive-bayes, openai:gpt-4o-mini") {
		t.Errorf("stderr: %s", stderr)
	}
	r := out.Report
	if len(r.Members) != 3 || r.Members[2].Name != "openai:gpt-4o-mini" {
		t.Fatalf("members %v", names(r.Members))
	}
	model := r.Members[2]
	if model.Errors != 0 || model.Classification.Accuracy.Value != 1 || out.Best != model.Name {
		t.Errorf("the model: %d errors, accuracy %s; best member %s", model.Errors, model.Classification.Accuracy, out.Best)
	}
	bayes := r.Members[1].Classification.Accuracy.Value
	if acc := r.Classification.Accuracy.Value; acc <= bayes || acc == 1 {
		t.Errorf("ensemble accuracy %.3f, naive Bayes %.3f: want between them and 1", acc, bayes)
	}
	for _, rep := range append([]*eval.Report{r}, r.Members...) {
		checkShares(t, rep)
	}
	if c := out.Comparison; c.Champion.Name != model.Name || c.Decision == eval.ChallengerBetter {
		t.Errorf("comparison with %s: %s", c.Champion.Name, c.Decision)
	}
}

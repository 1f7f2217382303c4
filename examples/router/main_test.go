package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/guard"
	"github.com/chorus-go/chorus/llm/llmtest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestLocalRecognition(t *testing.T) {
	recognise := recogniser(nil)
	for _, s := range samples {
		r, err := recognise.Run(context.Background(), s.text)
		if err != nil {
			t.Fatalf("%q: %v", s.text, err)
		}
		if r.Group.Answer != s.group || r.Species.Answer != s.species {
			t.Errorf("%q: %s/%s, want %s/%s", s.text, r.Group.Answer, r.Species.Answer, s.group, s.species)
		}
		if len(r.Group.Ballots) != 2 || len(r.Species.Ballots) != 2 {
			t.Errorf("%q: %d and %d ballots, want the 2 local members", s.text, len(r.Group.Ballots), len(r.Species.Ballots))
		}
	}
}

func TestRunPrintsRoutesAndGraph(t *testing.T) {
	var out bytes.Buffer
	texts := []string{"A venomous snake with a zigzag back basked on the heath.", "Something hooted from the barn at night."}
	if err := run(context.Background(), &out, config{texts: texts}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"voters: rules, naive bayes\n",
		"route:   reptile", "species: viper", "route:   bird", "species: owl",
		"flowchart LR", `subgraph c15 ["bird specialist"]`, `{"specialists: route (`, "-->|reptile|",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := run(context.Background(), &out, config{texts: texts[:1], dot: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "digraph chain {") || !strings.Contains(out.String(), `label="mammal specialist"`) {
		t.Errorf("-dot output:\n%s", out.String())
	}
}

// expected maps each sample text to its labels, for the fake LLM.
func expected() map[string][2]string {
	m := map[string][2]string{}
	for _, s := range samples {
		m[s.text] = [2]string{string(s.group), string(s.species)}
	}
	return m
}

// fakeLLM answers llm.Classifier's requests like a model that knows the
// samples: the group when the labels offered are the groups, else the
// species.
func fakeLLM(t *testing.T) *llmtest.Model {
	want := expected()
	return llmtest.NewModel("gpt").WithDefault(llmtest.Func(func(_ context.Context, req llm.Request) (llm.Response, error) {
		labels := want[req.Messages[len(req.Messages)-1].Text()]
		label := labels[1]
		if strings.Contains(req.Messages[0].Text(), `"bird", "mammal", "reptile"`) {
			label = labels[0]
		}
		b, _ := json.Marshal(map[string]string{"label": label})
		return llm.Response{Message: llm.Assistant(string(b)), FinishReason: "stop"}, nil
	}))
}

func TestAnLLMJoinsEveryVote(t *testing.T) {
	gpt := fakeLLM(t)
	recognise := recogniser([]voter{{name: "gpt", model: gpt}})
	for _, s := range samples {
		r, err := recognise.Run(context.Background(), s.text)
		if err != nil {
			t.Fatalf("%q: %v", s.text, err)
		}
		if r.Species.Answer != s.species {
			t.Errorf("%q: %s, want %s", s.text, r.Species.Answer, s.species)
		}
		last := r.Species.Ballots[len(r.Species.Ballots)-1]
		if last.Name != "gpt" || last.Err != nil || last.Answer != s.species || last.Weight != llmWeight {
			t.Errorf("%q: the LLM's ballot %+v", s.text, last)
		}
	}
	if n := len(gpt.Requests()); n != 2*len(samples) {
		t.Errorf("the LLM was asked %d times, want %d (broad and specialist per text)", n, 2*len(samples))
	}
}

func TestAFailingLLMDoesNotStopTheVote(t *testing.T) {
	down := llmtest.NewModel("down").WithDefault(llmtest.Error(llmtest.StatusError(400)))
	recognise := recogniser([]voter{{name: "down", model: down}})
	r, err := recognise.Run(context.Background(), samples[0].text)
	if err != nil {
		t.Fatal(err)
	}
	if r.Species.Answer != samples[0].species {
		t.Errorf("species %s", r.Species.Answer)
	}
	var pe *llm.Error
	if b := r.Group.Ballots[2]; b.Name != "down" || !errors.As(b.Err, &pe) {
		t.Errorf("the failing LLM's ballot %+v", b)
	}
	var out bytes.Buffer
	report(&out, r)
	if !strings.Contains(out.String(), "down failed") {
		t.Errorf("report:\n%s", out.String())
	}
}

func TestConfiguredLLMs(t *testing.T) {
	ctx := context.Background()
	none := env{getenv: func(string) string { return "" }}
	if v, skipped, err := configuredLLMs(ctx, "gpt-4o-mini", "llama3.2", none); err != nil || len(v) != 0 || len(skipped) != 0 {
		t.Fatalf("no configuration: %v, %v, %v", v, skipped, err)
	}
	s := openaitest.New(t, openaitest.WithAPIKey("sk-test"))
	vars := map[string]string{"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": s.URL(), "OLLAMA_HOST": "127.0.0.1:1"}
	both := env{getenv: func(k string) string { return vars[k] }, httpClient: s.HTTPClient()}
	v, skipped, err := configuredLLMs(ctx, "gpt-4o-mini", "llama3.2", both)
	if err != nil || len(v) != 2 || v[0].name != "openai" || v[1].name != "ollama" || len(skipped) != 0 {
		t.Fatalf("both configured: %v, %v, %v", v, skipped, err)
	}
	if d := chain.Describe(v[0].model); d.Kind != guard.KindGuard || d.Name != "openai:gpt-4o-mini" {
		t.Errorf("the OpenAI model is not guarded: %+v", d)
	}
}

package ollamatest

import (
	"context"
	"strings"
	"testing"

	"github.com/ollama/ollama/api"
)

// generate runs Generate and collects every response.
func generate(ctx context.Context, c *api.Client, req *api.GenerateRequest) ([]api.GenerateResponse, error) {
	var got []api.GenerateResponse
	err := c.Generate(ctx, req, func(r api.GenerateResponse) error {
		got = append(got, r)
		return nil
	})
	return got, err
}

func TestGenerateStreaming(t *testing.T) {
	s := New(t, WithModels("llama3.2"))
	s.Enqueue(Text("The sky is blue."))

	got, err := generate(testContext(t), s.Client(), &api.GenerateRequest{
		Model: "llama3.2", Prompt: "Why is the sky blue?", System: "be brief",
		Images: []api.ImageData{[]byte("img")},
	})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	var b strings.Builder
	for _, r := range got[:len(got)-1] {
		if r.Done {
			t.Errorf("chunk %+v is done", r)
		}
		b.WriteString(r.Response)
	}
	if b.String() != "The sky is blue." {
		t.Errorf("response = %q", b.String())
	}
	last := got[len(got)-1]
	if !last.Done || last.DoneReason != "stop" || last.Response != "" || len(last.Context) == 0 ||
		last.PromptEvalCount != 7 || last.EvalCount != 4 {
		t.Errorf("final = %+v", last)
	}
	rec := s.Requests()[0]
	if rec.Generate == nil || rec.Generate.System != "be brief" || rec.Prompt() != "Why is the sky blue?" ||
		len(rec.Generate.Images) != 1 || string(rec.Generate.Images[0]) != "img" {
		t.Errorf("recorded %+v", rec.Generate)
	}
}

func TestGenerateWithoutStreaming(t *testing.T) {
	s := New(t)
	s.Enqueue(JSON(`{"ok":true}`).WithThinking("hmm"))
	got, err := generate(testContext(t), s.Client(), &api.GenerateRequest{
		Model: "m", Prompt: "p", Stream: ptr(false), Raw: true, Format: []byte(`"json"`),
	})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	if len(got) != 1 || got[0].Response != `{"ok":true}` || got[0].Thinking != "hmm" || !got[0].Done ||
		got[0].Context != nil {
		t.Errorf("responses = %+v (raw requests get no context)", got)
	}
}

func TestGenerateToolCallsComeWithFinalObject(t *testing.T) {
	s := New(t)
	s.Enqueue(ToolCalls(Call("f", map[string]any{"x": "y"})))
	got, err := generate(testContext(t), s.Client(), &api.GenerateRequest{Model: "m", Prompt: "p"})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	if len(got) != 1 || !got[0].Done || len(got[0].ToolCalls) != 1 || got[0].ToolCalls[0].Function.Name != "f" {
		t.Errorf("responses = %+v", got)
	}
}

func TestGenerateLoadAndRejects(t *testing.T) {
	s := New(t)
	got, err := generate(testContext(t), s.Client(), &api.GenerateRequest{Model: "m"})
	if err != nil || len(got) != 1 || got[0].DoneReason != "load" {
		t.Errorf("load: %+v, %v", got, err)
	}
	_, err = generate(testContext(t), s.Client(), &api.GenerateRequest{Model: "m", Prompt: "p", Raw: true, System: "s"})
	if se, ok := err.(api.StatusError); !ok || se.StatusCode != 400 {
		t.Errorf("raw with system: %#v", err)
	}
}

func TestGenerateErrorLine(t *testing.T) {
	s := New(t)
	s.Enqueue(StreamError("abc", "out of memory"))
	got, err := generate(testContext(t), s.Client(), &api.GenerateRequest{Model: "m", Prompt: "p"})
	if err == nil || err.Error() != "out of memory" || len(got) != 1 || got[0].Response != "abc" {
		t.Errorf("got %+v, %v", got, err)
	}
}

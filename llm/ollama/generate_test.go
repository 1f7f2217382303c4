package ollama_test

import (
	"encoding/json"
	"testing"

	"github.com/chorus-go/chorus/internal/ollamatest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/ollama"
)

func TestGenerate(t *testing.T) {
	s := ollamatest.New(t, ollamatest.WithChunkSize(5))
	s.Enqueue(ollamatest.Text("func main() {}").WithUsage(4, 5), ollamatest.Text("streamed completion"))
	m := newModel(t, s, "qwen2.5-coder", ollama.WithModelOptions(map[string]any{"num_ctx": 4096}))
	png := llm.Image{MIMEType: "image/png", Data: []byte("\x89PNG")}
	resp, err := m.Generate(testContext(t), "package main\n", ollama.WithSuffix("\n// end"), ollama.WithSystem("Write Go."),
		ollama.WithImages(png), ollama.WithFormat(llm.Format{Type: llm.FormatJSON}), ollama.WithOptions(llm.Options{MaxTokens: 10}))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Text() != "func main() {}" || resp.FinishReason != "stop" || resp.Usage != (llm.Usage{InputTokens: 4, OutputTokens: 5}) || resp.Model != "qwen2.5-coder" {
		t.Errorf("Generate = %+v", resp)
	}
	g := lastRequest(t, s).Generate
	if g.Prompt != "package main\n" || g.Suffix != "\n// end" || g.System != "Write Go." || len(g.Images) != 1 ||
		string(g.Format) != `"json"` || g.Options["num_predict"] != 10.0 || g.Options["num_ctx"] != 4096.0 || g.Stream == nil || *g.Stream {
		t.Errorf("generate request = %s", lastRequest(t, s).Body)
	}

	chunks, err := drain(m.GenerateStream(testContext(t), "[INST] hi [/INST]", ollama.WithRaw()))
	if err != nil {
		t.Fatal(err)
	}
	var text string
	for _, c := range chunks {
		text += c.Text
	}
	if text != "streamed completion" || len(chunks) < 3 || !chunks[len(chunks)-1].Done {
		t.Errorf("GenerateStream = %+v", chunks)
	}
	if g := lastRequest(t, s).Generate; !g.Raw || !lastRequest(t, s).Streaming() {
		t.Errorf("raw stream request = %s", lastRequest(t, s).Body)
	}

	for name, opts := range map[string][]ollama.GenerateOption{
		"raw and system": {ollama.WithRaw(), ollama.WithSystem("x")},
		"bad image":      {ollama.WithImages(llm.Image{MIMEType: "image/bmp", Data: []byte("BM")})},
		"bad schema":     {ollama.WithFormat(llm.Format{Type: llm.FormatJSONSchema, Schema: json.RawMessage("{")})},
	} {
		if _, err := m.Generate(testContext(t), "x", opts...); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := m.Generate(testContext(t), ""); err == nil {
		t.Errorf("empty prompt: no error")
	}
}

func TestGenerateToolCalls(t *testing.T) {
	s := ollamatest.New(t)
	s.Enqueue(ollamatest.ToolCalls(ollamatest.Call("f", map[string]any{"x": 1})))
	resp, err := newModel(t, s, "m").Generate(testContext(t), "call f")
	if err != nil || resp.FinishReason != "tool_calls" || len(resp.Message.ToolCalls) != 1 || string(resp.Message.ToolCalls[0].Arguments) != `{"x":1}` {
		t.Errorf("Generate = %+v, %v", resp, err)
	}
}

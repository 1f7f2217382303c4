package ollamatest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ollama/ollama/api"
)

func TestChatStreamingIsAssembledFromChunks(t *testing.T) {
	s := New(t, WithModels("llama3.2"), WithChunkSize(3))
	s.Enqueue(Text("Hello, world!"))

	got, err := chat(testContext(t), s.Client(), userChat("llama3.2", "hi there"))
	if err != nil {
		t.Fatalf("Chat: %v", err)
	}
	// 13 characters in chunks of 3: 5 chunks, then the final object.
	if len(got) != 6 {
		t.Fatalf("got %d responses, want 6: %+v", len(got), got)
	}
	for i, r := range got[:5] {
		if r.Done || r.Message.Role != "assistant" || r.Model != "llama3.2" {
			t.Errorf("chunk %d = %+v, want an assistant chunk of llama3.2 not done", i, r)
		}
	}
	content, _ := assembled(got)
	if content != "Hello, world!" {
		t.Errorf("content = %q, want %q", content, "Hello, world!")
	}
	last := got[len(got)-1]
	if !last.Done || last.DoneReason != "stop" || last.Message.Content != "" {
		t.Errorf("final = %+v, want done with reason stop and no content", last)
	}
	if last.PromptEvalCount != 2 || last.EvalCount != 5 || last.TotalDuration <= 0 || last.EvalDuration <= 0 {
		t.Errorf("final metrics = %+v, want prompt_eval_count 2, eval_count 5 and durations", last.Metrics)
	}
	if reqs := s.Requests(); len(reqs) != 1 || !reqs[0].Streaming() || reqs[0].Chat.Stream != nil {
		t.Errorf("recorded %+v, want one request with stream absent", reqs)
	}
}

func TestChatWithoutStreamingIsOneObject(t *testing.T) {
	s := New(t)
	s.Enqueue(Text("a whole answer").WithThinking("let me think").WithUsage(11, 3).WithDoneReason("length"))
	req := userChat("any-model", "question")
	req.Stream = ptr(false)

	got, err := chat(testContext(t), s.Client(), req)
	if err != nil {
		t.Fatalf("Chat: %v", err)
	}
	want := []api.ChatResponse{{
		Model:      "any-model",
		Message:    api.Message{Role: "assistant", Content: "a whole answer", Thinking: "let me think"},
		Done:       true,
		DoneReason: "length",
		Metrics:    usage(11, 3),
	}}
	if diff := cmp.Diff(want, got, ignoreTimes); diff != "" {
		t.Errorf("responses (-want +got):\n%s", diff)
	}
	rec := s.Requests()[0]
	if rec.Streaming() || rec.Chat.Stream == nil || *rec.Chat.Stream {
		t.Errorf("recorded stream = %v, want false", rec.Chat.Stream)
	}
	if !bytes.Contains(rec.Body, []byte(`"stream":false`)) {
		t.Errorf("raw body %s lacks \"stream\":false", rec.Body)
	}
}

// ignoreTimes ignores created_at, which the server sets to the current time.
var ignoreTimes = cmp.Comparer(func(a, b time.Time) bool { return true })

func TestChatThinkingStreamsBeforeContent(t *testing.T) {
	s := New(t, WithChunkSize(100))
	s.Enqueue(Text("42").WithThinking("6 times 7"))

	got, err := chat(testContext(t), s.Client(), userChat("qwen3", "6*7?"))
	if err != nil {
		t.Fatalf("Chat: %v", err)
	}
	if len(got) != 3 || got[0].Message.Thinking != "6 times 7" || got[0].Message.Content != "" ||
		got[1].Message.Content != "42" || !got[2].Done {
		t.Errorf("responses = %+v, want thinking, content, done", got)
	}
}

func TestChatToolCallsAreDecoded(t *testing.T) {
	s := New(t)
	s.Enqueue(ToolCalls(
		Call("get_weather", map[string]any{"city": "Paris", "unit": "celsius"}),
		Call("get_time", map[string]any{"zone": "CET"}),
	))
	props := api.NewToolPropertiesMap()
	props.Set("city", api.ToolProperty{Type: api.PropertyType{"string"}, Description: "city name"})
	req := userChat("llama3.1", "weather in Paris?")
	req.Tools = api.Tools{{
		Type: "function",
		Function: api.ToolFunction{
			Name:        "get_weather",
			Description: "current weather",
			Parameters:  api.ToolFunctionParameters{Type: "object", Required: []string{"city"}, Properties: props},
		},
	}}

	got, err := chat(testContext(t), s.Client(), req)
	if err != nil {
		t.Fatalf("Chat: %v", err)
	}
	var calls []api.ToolCall
	for _, r := range got {
		calls = append(calls, r.Message.ToolCalls...)
	}
	if len(got) != 2 || len(got[0].Message.ToolCalls) != 2 || !got[1].Done {
		t.Fatalf("responses = %+v, want one chunk with both calls, then done", got)
	}
	if calls[0].Function.Name != "get_weather" || calls[0].ID != "call_00000001" || calls[0].Function.Index != 0 {
		t.Errorf("call 0 = %+v", calls[0])
	}
	if city, ok := calls[0].Function.Arguments.Get("city"); !ok || city != "Paris" {
		t.Errorf("arguments.Get(city) = %v, %v; want Paris", city, ok)
	}
	wantArgs := map[string]any{"city": "Paris", "unit": "celsius"}
	if diff := cmp.Diff(wantArgs, calls[0].Function.Arguments.ToMap()); diff != "" {
		t.Errorf("arguments (-want +got):\n%s", diff)
	}
	if calls[1].Function.Name != "get_time" || calls[1].Function.Index != 1 || calls[1].ID != "call_00000002" {
		t.Errorf("call 1 = %+v", calls[1])
	}

	sent := s.Requests()[0].Chat.Tools
	if len(sent) != 1 || sent[0].Function.Name != "get_weather" {
		t.Fatalf("recorded tools = %v", sent)
	}
	if p, ok := sent[0].Function.Parameters.Properties.Get("city"); !ok || p.Description != "city name" {
		t.Errorf("recorded property city = %+v, %v", p, ok)
	}
}

func TestChatToolCallsWithoutStreaming(t *testing.T) {
	s := New(t)
	s.Enqueue(Text("Checking.").WithToolCalls(Call("lookup", map[string]any{"id": 7})))
	req := userChat("m", "x")
	req.Stream = ptr(false)

	got, err := chat(testContext(t), s.Client(), req)
	if err != nil {
		t.Fatalf("Chat: %v", err)
	}
	if len(got) != 1 || got[0].Message.Content != "Checking." || len(got[0].Message.ToolCalls) != 1 {
		t.Fatalf("responses = %+v", got)
	}
	// JSON numbers arrive as float64 in the ordered map.
	if id, _ := got[0].Message.ToolCalls[0].Function.Arguments.Get("id"); id != float64(7) {
		t.Errorf("id = %#v, want float64(7)", id)
	}
}

func TestChatFormatAndOptionsAreRecorded(t *testing.T) {
	s := New(t)
	schema := `{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"}},"required":["name","age"]}`
	s.Enqueue(JSON(map[string]any{"name": "Ada", "age": 36}))
	req := userChat("m", "who?")
	req.Format = json.RawMessage(schema)
	req.Options = map[string]any{"temperature": 0.2, "num_ctx": 4096}
	req.KeepAlive = &api.Duration{Duration: 10 * time.Minute}
	req.Think = &api.ThinkValue{Value: false}

	got, err := chat(testContext(t), s.Client(), req)
	if err != nil {
		t.Fatalf("Chat: %v", err)
	}
	content, done := assembled(got)
	var person struct {
		Name string `json:"name"`
		Age  int    `json:"age"`
	}
	if err := json.Unmarshal([]byte(content), &person); err != nil || person.Name != "Ada" || person.Age != 36 || !done {
		t.Errorf("content %q -> %+v, %v (done %v)", content, person, err, done)
	}

	rec := s.Requests()[0]
	var gotSchema, wantSchema any
	if err := json.Unmarshal(rec.Format(), &gotSchema); err != nil {
		t.Fatalf("recorded format %s: %v", rec.Format(), err)
	}
	json.Unmarshal([]byte(schema), &wantSchema)
	if diff := cmp.Diff(wantSchema, gotSchema); diff != "" {
		t.Errorf("format (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]any{"temperature": 0.2, "num_ctx": float64(4096)}, rec.Chat.Options); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}
	if rec.Chat.KeepAlive == nil || rec.Chat.KeepAlive.Duration != 10*time.Minute {
		t.Errorf("keep_alive = %v, want 10m", rec.Chat.KeepAlive)
	}
	if rec.Chat.Think == nil || rec.Chat.Think.Value != false {
		t.Errorf("think = %v, want false", rec.Chat.Think)
	}
}

func TestChatFormatJSONString(t *testing.T) {
	s := New(t)
	req := userChat("m", "{}")
	req.Format = json.RawMessage(`"json"`)
	if _, err := chat(testContext(t), s.Client(), req); err != nil {
		t.Fatalf("Chat: %v", err)
	}
	if f := string(s.Requests()[0].Format()); f != `"json"` {
		t.Errorf("format = %s, want \"json\"", f)
	}
}

func TestMalformedJSONDoesNotParse(t *testing.T) {
	s := New(t)
	s.Enqueue(MalformedJSON(map[string]any{"name": "Ada"}).WithDoneReason("length"))
	got, err := chat(testContext(t), s.Client(), userChat("m", "x"))
	if err != nil {
		t.Fatalf("Chat: %v", err)
	}
	content, done := assembled(got)
	if content != `{"name":"Ada"` || !done || got[len(got)-1].DoneReason != "length" {
		t.Errorf("content %q, done %v, reason %q", content, done, got[len(got)-1].DoneReason)
	}
	if json.Valid([]byte(content)) {
		t.Errorf("content %q is valid JSON", content)
	}
}

func TestChatImagesAreRecorded(t *testing.T) {
	s := New(t)
	png := []byte("\x89PNG\r\n\x1a\nnot really")
	req := &api.ChatRequest{
		Model:    "llava",
		Messages: []api.Message{{Role: "user", Content: "what is this?", Images: []api.ImageData{png}}},
	}
	if _, err := chat(testContext(t), s.Client(), req); err != nil {
		t.Fatalf("Chat: %v", err)
	}
	rec := s.Requests()[0]
	if imgs := rec.Chat.Messages[0].Images; len(imgs) != 1 || !bytes.Equal(imgs[0], png) {
		t.Errorf("recorded images = %q, want the PNG bytes", imgs)
	}
	// On the wire an image is standard base64.
	if !bytes.Contains(rec.Body, []byte(base64.StdEncoding.EncodeToString(png))) {
		t.Errorf("raw body %s lacks the base64 image", rec.Body)
	}
}

func TestChatDefaultEchoesAndQueueIsFIFO(t *testing.T) {
	s := New(t)
	s.Enqueue(Text("first"), Text("second"))
	c := s.Client()
	for _, want := range []string{"first", "second", "echo me"} {
		got, err := chat(testContext(t), c, userChat("m", "echo me"))
		if err != nil {
			t.Fatalf("Chat: %v", err)
		}
		if content, _ := assembled(got); content != want {
			t.Errorf("content = %q, want %q", content, want)
		}
	}
	if g, e := s.Pending(); g != 0 || e != 0 {
		t.Errorf("Pending = %d, %d; want 0, 0", g, e)
	}
}

func TestWithDefaultAndFunc(t *testing.T) {
	s := New(t, WithDefault(func(r Request) Reply {
		if len(r.Chat.Tools) > 0 {
			return ToolCalls(Call(r.Chat.Tools[0].Function.Name, map[string]any{"q": r.Prompt()}))
		}
		return Default() // falls back to the echo
	}))
	s.Enqueue(Func(func(r Request) Reply { return Text("model was " + r.Model()) }))
	c := s.Client()

	got, err := chat(testContext(t), c, userChat("m1", "x"))
	if content, _ := assembled(got); err != nil || content != "model was m1" {
		t.Errorf("Func reply: %q, %v", content, err)
	}
	got, err = chat(testContext(t), c, userChat("m1", "plain"))
	if content, _ := assembled(got); err != nil || content != "plain" {
		t.Errorf("default falling back to echo: %q, %v", content, err)
	}
	req := userChat("m1", "search this")
	req.Tools = api.Tools{{Type: "function", Function: api.ToolFunction{Name: "search"}}}
	got, err = chat(testContext(t), c, req)
	if err != nil || len(got) == 0 || len(got[0].Message.ToolCalls) != 1 {
		t.Fatalf("default tool call: %+v, %v", got, err)
	}
	if q, _ := got[0].Message.ToolCalls[0].Function.Arguments.Get("q"); q != "search this" {
		t.Errorf("q = %v", q)
	}
}

func TestChatLoadRequest(t *testing.T) {
	s := New(t)
	s.Enqueue(Text("kept for later"))
	got, err := chat(testContext(t), s.Client(), &api.ChatRequest{Model: "m"})
	if err != nil || len(got) != 1 || !got[0].Done || got[0].DoneReason != "load" {
		t.Errorf("load: %+v, %v", got, err)
	}
	got, err = chat(testContext(t), s.Client(), &api.ChatRequest{Model: "m", KeepAlive: &api.Duration{}})
	if err != nil || len(got) != 1 || got[0].DoneReason != "unload" {
		t.Errorf("unload: %+v, %v", got, err)
	}
	if g, _ := s.Pending(); g != 1 {
		t.Errorf("load requests consumed a scripted reply")
	}
}

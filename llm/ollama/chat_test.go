package ollama_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/ollama/ollama/api"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/ollamatest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/ollama"
)

func TestChatText(t *testing.T) {
	s := ollamatest.New(t, ollamatest.WithModels("llama3.2"))
	s.Enqueue(ollamatest.Text("Paris is the capital of France.").WithUsage(12, 7))
	m := newModel(t, s, "llama3.2")

	resp, err := m.Chat(testContext(t), llm.Request{Messages: []llm.Message{
		llm.System("Answer briefly."),
		llm.User("What is the capital of France?"),
	}})
	if err != nil {
		t.Fatalf("Chat: %v", err)
	}
	want := llm.Response{
		Message:      llm.Assistant("Paris is the capital of France."),
		FinishReason: "stop",
		Usage:        llm.Usage{InputTokens: 12, OutputTokens: 7},
		Model:        "llama3.2",
	}
	if diff := cmp.Diff(want, resp); diff != "" {
		t.Errorf("response (-want +got):\n%s", diff)
	}
	rec := lastRequest(t, s)
	if rec.Streaming() || !bytes.Contains(rec.Body, []byte(`"stream":false`)) {
		t.Errorf("Chat streamed: body %s", rec.Body)
	}
	wantMsgs := []api.Message{{Role: "system", Content: "Answer briefly."}, {Role: "user", Content: "What is the capital of France?"}}
	if diff := cmp.Diff(wantMsgs, rec.Chat.Messages); diff != "" {
		t.Errorf("messages sent (-want +got):\n%s", diff)
	}
	if rec.Chat.Model != "llama3.2" || rec.Chat.Format != nil || rec.Chat.Tools != nil || rec.Chat.Options != nil || rec.Chat.KeepAlive != nil || rec.Chat.Think != nil {
		t.Errorf("request carries unasked settings: %s", rec.Body)
	}
}

func TestChatLengthFinish(t *testing.T) {
	s := ollamatest.New(t)
	s.Enqueue(ollamatest.Text("cut sh").WithDoneReason("length"))
	resp, err := newModel(t, s, "m").Chat(testContext(t), ask("x"))
	if err != nil || resp.FinishReason != "length" {
		t.Errorf("Chat = %+v, %v; want finish reason length", resp, err)
	}
}

// A streamed answer, assembled, is the answer of the plain call.
func TestStreamAssembledEqualsChat(t *testing.T) {
	replies := map[string]ollamatest.Reply{
		"text":     ollamatest.Text("The quick brown fox jumps over the lazy dog.").WithUsage(9, 11),
		"length":   ollamatest.Text("cut short").WithDoneReason("length"),
		"thinking": ollamatest.Text("42").WithThinking("six times seven"),
		"tools": ollamatest.Text("Let me look.").WithToolCalls(
			api.ToolCall{ID: "call_a", Function: api.ToolCallFunction{Name: "weather", Arguments: args(t, `{"city":"Paris","days":3}`)}},
			api.ToolCall{ID: "call_b", Function: api.ToolCallFunction{Name: "time", Arguments: args(t, `{"zone":"CET"}`)}},
		),
		"unicode": ollamatest.Text("Grüße, 世界! 👋").WithChunkSize(1),
	}
	for name, rep := range replies {
		t.Run(name, func(t *testing.T) {
			s := ollamatest.New(t, ollamatest.WithChunkSize(3))
			s.Enqueue(rep, rep)
			m := newModel(t, s, "m")
			ctx := testContext(t)

			whole, err := m.Chat(ctx, ask("go"))
			if err != nil {
				t.Fatalf("Chat: %v", err)
			}
			chunks, err := drain(m.Stream(ctx, ask("go")))
			if err != nil {
				t.Fatalf("Stream: %v", err)
			}
			if len(chunks) < 2 && whole.Text() != "" {
				t.Errorf("got %d chunks, want the text in several", len(chunks))
			}
			for i, c := range chunks {
				if c.Done != (i == len(chunks)-1) {
					t.Errorf("chunk %d of %d has Done %v", i, len(chunks), c.Done)
				}
			}
			streamed, err := llm.Collect(func(yield func(llm.Chunk, error) bool) {
				for _, c := range chunks {
					if !yield(c, nil) {
						return
					}
				}
			})
			if err != nil {
				t.Fatalf("Collect: %v", err)
			}
			if diff := cmp.Diff(whole, streamed, cmpopts.IgnoreFields(llm.Response{}, "Model")); diff != "" {
				t.Errorf("streamed answer differs from the plain one (-chat +stream):\n%s", diff)
			}
			if rec := lastRequest(t, s); !rec.Streaming() {
				t.Errorf("Stream did not ask for a stream")
			}
		})
	}
}

// args builds tool call arguments from JSON.
func args(t testing.TB, s string) api.ToolCallFunctionArguments {
	t.Helper()
	a := api.NewToolCallFunctionArguments()
	if err := a.UnmarshalJSON([]byte(s)); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestStreamChunksArriveInOrder(t *testing.T) {
	s := ollamatest.New(t, ollamatest.WithChunkSize(4))
	s.Enqueue(ollamatest.Text("abcdefghij").WithUsage(3, 3))
	chunks, err := drain(newModel(t, s, "m").Stream(testContext(t), ask("x")))
	if err != nil {
		t.Fatal(err)
	}
	want := []llm.Chunk{
		{Text: "abcd"}, {Text: "efgh"}, {Text: "ij"},
		{FinishReason: "stop", Usage: &llm.Usage{InputTokens: 3, OutputTokens: 3}, Done: true},
	}
	if diff := cmp.Diff(want, chunks); diff != "" {
		t.Errorf("chunks (-want +got):\n%s", diff)
	}
}

func TestToolCallsDecoded(t *testing.T) {
	s := ollamatest.New(t)
	s.Enqueue(ollamatest.ToolCalls(
		ollamatest.Call("get_weather", map[string]any{"city": "Paris", "unit": "celsius", "days": 3}),
		ollamatest.Call("get_time", map[string]any{"zone": "CET", "nested": map[string]any{"a": []any{1.5, "b"}}}),
	))
	resp, err := newModel(t, s, "m").Chat(testContext(t), ask("weather?"))
	if err != nil {
		t.Fatal(err)
	}
	want := []llm.ToolCall{
		{ID: "call_00000001", Name: "get_weather", Arguments: json.RawMessage(`{"city":"Paris","days":3,"unit":"celsius"}`)},
		{ID: "call_00000002", Name: "get_time", Arguments: json.RawMessage(`{"nested":{"a":[1.5,"b"]},"zone":"CET"}`)},
	}
	if diff := cmp.Diff(want, resp.Message.ToolCalls); diff != "" {
		t.Errorf("tool calls (-want +got):\n%s", diff)
	}
	if resp.FinishReason != "tool_calls" || len(resp.Message.Parts) != 0 {
		t.Errorf("finish %q, parts %v; want tool_calls and no text", resp.FinishReason, resp.Message.Parts)
	}
}

// Servers without tool call IDs get deterministic made-up ones, and the
// arguments keep the model's order of top-level keys.
func TestToolCallsWithoutIDs(t *testing.T) {
	line := `{"model":"m","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"","tool_calls":[` +
		`{"function":{"name":"f","arguments":{"zeta":1,"alpha":{"y":2,"x":1}}}},{"function":{"name":"g","arguments":{}}}]},` +
		`"done":true,"done_reason":"stop","prompt_eval_count":5,"eval_count":2}`
	s := ollamatest.New(t)
	s.Enqueue(ollamatest.Raw(200, "application/json", line), ollamatest.Raw(200, "application/x-ndjson", line+"\n"))
	m := newModel(t, s, "m")
	want := []llm.ToolCall{
		{ID: "call_0", Name: "f", Arguments: json.RawMessage(`{"zeta":1,"alpha":{"x":1,"y":2}}`)}, // nested keys sorted
		{ID: "call_1", Name: "g", Arguments: json.RawMessage(`{}`)},
	}
	resp, err := m.Chat(testContext(t), ask("x"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, resp.Message.ToolCalls); diff != "" {
		t.Errorf("Chat tool calls (-want +got):\n%s", diff)
	}
	streamed, err := llm.Collect(m.Stream(testContext(t), ask("x")))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, streamed.Message.ToolCalls); diff != "" {
		t.Errorf("Stream tool calls (-want +got):\n%s", diff)
	}
}

func TestToolsSent(t *testing.T) {
	weather := llm.Tool{
		Name:        "get_weather",
		Description: "Current weather in a city.",
		Parameters: json.RawMessage(`{
			"type": "object",
			"properties": {
				"city": {"type": "string", "description": "City name", "minLength": 1},
				"unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
				"days": {"type": ["integer", "null"], "minimum": 1},
				"where": {"type": "object", "properties": {"lat": {"type": "number"}}, "required": ["lat"]},
				"tags": {"type": "array", "items": {"type": "string", "maxLength": 8}}
			},
			"required": ["city"],
			"additionalProperties": false
		}`),
	}
	clock := llm.Tool{Name: "get_time"}
	tests := []struct {
		choice string
		want   []string
	}{
		{"", []string{"get_weather", "get_time"}},
		{"auto", []string{"get_weather", "get_time"}},
		{"required", []string{"get_weather", "get_time"}},
		{"get_time", []string{"get_time"}},
		{"none", nil},
	}
	for _, tt := range tests {
		t.Run("choice="+tt.choice, func(t *testing.T) {
			s := ollamatest.New(t)
			req := ask("weather?")
			req.Tools, req.ToolChoice = []llm.Tool{weather, clock}, tt.choice
			if _, err := newModel(t, s, "m").Chat(testContext(t), req); err != nil {
				t.Fatal(err)
			}
			sent := lastRequest(t, s).Chat.Tools
			var names []string
			for _, tool := range sent {
				names = append(names, tool.Function.Name)
				if tool.Type != "function" {
					t.Errorf("tool %s has type %q", tool.Function.Name, tool.Type)
				}
			}
			if diff := cmp.Diff(tt.want, names); diff != "" {
				t.Fatalf("tools sent (-want +got):\n%s", diff)
			}
			if len(sent) == 0 || sent[0].Function.Name != "get_weather" {
				return
			}
			// What survives Ollama's typed schema, on the wire.
			gotJSON, _ := json.Marshal(sent[0].Function)
			want := `{"name":"get_weather","description":"Current weather in a city.","parameters":{"type":"object","required":["city"],` +
				`"properties":{"city":{"type":"string","description":"City name"},"unit":{"type":"string","enum":["celsius","fahrenheit"]},` +
				`"days":{"type":["integer","null"]},"where":{"type":"object","properties":{"lat":{"type":"number"}}},` +
				`"tags":{"type":"array","items":{"maxLength":8,"type":"string"}}}}}`
			if string(gotJSON) != want {
				t.Errorf("tool sent:\n got %s\nwant %s", gotJSON, want)
			}
			if len(sent) > 1 {
				if p := sent[1].Function.Parameters; p.Type != "object" || p.Properties == nil || p.Properties.Len() != 0 {
					t.Errorf("a tool without parameters was sent with %s", p.String())
				}
			}
		})
	}
}

func TestToolRequestErrors(t *testing.T) {
	tests := map[string]llm.Request{
		"unknown choice": {Messages: []llm.Message{llm.User("x")}, Tools: []llm.Tool{{Name: "a"}}, ToolChoice: "b"},
		"schema type":    {Messages: []llm.Message{llm.User("x")}, Tools: []llm.Tool{{Name: "a", Parameters: json.RawMessage(`{"type":["object"]}`)}}},
		"call arguments": {Messages: []llm.Message{{Role: llm.RoleAssistant, ToolCalls: []llm.ToolCall{{ID: "1", Name: "a", Arguments: json.RawMessage(`[1]`)}}}}},
		"format":         {Messages: []llm.Message{llm.User("x")}, Format: &llm.Format{Type: "yaml"}},
	}
	for name, req := range tests {
		t.Run(name, func(t *testing.T) {
			s := ollamatest.New(t)
			_, err := newModel(t, s, "m").Chat(testContext(t), req)
			if !errors.Is(err, llm.ErrInvalidRequest) {
				t.Errorf("err = %v, want ErrInvalidRequest", err)
			}
			if n := len(s.Requests()); n != 0 {
				t.Errorf("%d requests sent for an invalid request", n)
			}
		})
	}
}

func TestConversationMapping(t *testing.T) {
	s := ollamatest.New(t)
	png := []byte("\x89PNG\r\n\x1a\nfake")
	jpeg := []byte("\xff\xd8\xff\xe0fake")
	call := llm.ToolCall{ID: "call_7", Name: "lookup", Arguments: json.RawMessage(`{"b":2,"a":1}`)}
	req := llm.Request{Messages: []llm.Message{
		llm.System("be brief"),
		llm.User("what are these?", llm.Image{MIMEType: "image/png", Data: png}, llm.Image{MIMEType: "image/jpeg", Data: jpeg}),
		{Role: llm.RoleAssistant, Parts: []llm.Part{llm.Text("Looking up.")}, ToolCalls: []llm.ToolCall{call}},
		{Role: llm.RoleTool, ToolCallID: "call_7", Parts: []llm.Part{llm.Text(`{"found":true}`)}}, // no name: looked up
		llm.ToolResult(call, "second"),
	}}
	if _, err := newModel(t, s, "llava").Chat(testContext(t), req); err != nil {
		t.Fatal(err)
	}
	rec := lastRequest(t, s)
	got := rec.Chat.Messages
	if len(got) != 5 {
		t.Fatalf("sent %d messages, want 5", len(got))
	}
	if got[1].Content != "what are these?" || len(got[1].Images) != 2 || !bytes.Equal(got[1].Images[0], png) || !bytes.Equal(got[1].Images[1], jpeg) {
		t.Errorf("user message = %+v", got[1])
	}
	if got[2].Role != "assistant" || got[2].Content != "Looking up." || len(got[2].ToolCalls) != 1 ||
		got[2].ToolCalls[0].ID != "call_7" || got[2].ToolCalls[0].Function.Name != "lookup" ||
		got[2].ToolCalls[0].Function.Arguments.String() != `{"b":2,"a":1}` {
		t.Errorf("assistant message = %+v", got[2])
	}
	for _, tm := range got[3:] {
		if tm.Role != "tool" || tm.ToolName != "lookup" || tm.ToolCallID != "call_7" {
			t.Errorf("tool message = %+v, want tool_name lookup and tool_call_id call_7", tm)
		}
	}
	if !bytes.Contains(rec.Body, []byte(`"tool_name":"lookup"`)) {
		t.Errorf("body lacks tool_name: %s", rec.Body)
	}
}

func TestImageValidation(t *testing.T) {
	s := ollamatest.New(t)
	req := llm.Request{Messages: []llm.Message{llm.User("what?", llm.Image{MIMEType: "image/tiff", Data: []byte("II*")})}}
	_, err := newModel(t, s, "llava").Chat(testContext(t), req)
	if !errors.Is(err, llm.ErrUnsupportedImage) || len(s.Requests()) != 0 {
		t.Errorf("err = %v after %d requests, want ErrUnsupportedImage before sending", err, len(s.Requests()))
	}
	_, err = drain(newModel(t, s, "llava").Stream(testContext(t), llm.Request{}))
	if !errors.Is(err, llm.ErrNoMessages) {
		t.Errorf("Stream of no messages: %v", err)
	}
}

func TestFormat(t *testing.T) {
	schema := `{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer","minimum":0}},"required":["name","age"],"additionalProperties":false}`
	tests := []struct {
		format *llm.Format
		want   string
	}{
		{nil, ""},
		{&llm.Format{Type: llm.FormatText}, ""},
		{&llm.Format{Type: llm.FormatJSON}, `"json"`},
		{&llm.Format{Type: llm.FormatJSONSchema, Name: "person", Schema: json.RawMessage(schema), Strict: true}, schema},
	}
	for _, tt := range tests {
		s := ollamatest.New(t)
		s.Enqueue(ollamatest.JSON(map[string]any{"name": "Ada", "age": 36}))
		req := ask("who?")
		req.Format = tt.format
		resp, err := newModel(t, s, "m").Chat(testContext(t), req)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(lastRequest(t, s).Format()); got != tt.want {
			t.Errorf("format %+v sent as %s, want %s", tt.format, got, tt.want)
		}
		if resp.Text() != `{"age":36,"name":"Ada"}` {
			t.Errorf("text = %q", resp.Text())
		}
	}
}

func TestOptionsAndKeepAlive(t *testing.T) {
	s := ollamatest.New(t)
	base := map[string]any{"num_ctx": 8192, "temperature": 0.9, "top_k": 20}
	m := newModel(t, s, "m", ollama.WithModelOptions(base), ollama.WithKeepAlive(30*time.Minute), ollama.WithThink(false))
	base["num_ctx"] = 1 // New copied the map

	req := ask("x")
	req.Options = llm.Options{Temperature: ptr(0.1), TopP: ptr(0.5), MaxTokens: 64, Stop: []string{"\n\n"}, Seed: ptr(42)}
	if _, err := m.Chat(testContext(t), req); err != nil {
		t.Fatal(err)
	}
	rec := lastRequest(t, s)
	want := map[string]any{"num_ctx": 8192.0, "temperature": 0.1, "top_k": 20.0, "top_p": 0.5, "num_predict": 64.0, "stop": []any{"\n\n"}, "seed": 42.0}
	if diff := cmp.Diff(want, rec.Chat.Options); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}
	if rec.Chat.KeepAlive == nil || rec.Chat.KeepAlive.Duration != 30*time.Minute || !bytes.Contains(rec.Body, []byte(`"keep_alive":"30m0s"`)) {
		t.Errorf("keep_alive = %v", rec.Chat.KeepAlive)
	}
	if rec.Chat.Think == nil || rec.Chat.Think.Value != false {
		t.Errorf("think = %v, want false", rec.Chat.Think)
	}

	// Without request options the model options go alone; keep_alive -1
	// keeps the model loaded.
	m2 := newModel(t, s, "m", ollama.WithModelOptions(map[string]any{"num_ctx": 2048}), ollama.WithKeepAlive(-1))
	if _, err := m2.Chat(testContext(t), ask("x")); err != nil {
		t.Fatal(err)
	}
	rec = lastRequest(t, s)
	if diff := cmp.Diff(map[string]any{"num_ctx": 2048.0}, rec.Chat.Options); diff != "" {
		t.Errorf("options (-want +got):\n%s", diff)
	}
	if !bytes.Contains(rec.Body, []byte(`"keep_alive":-1`)) {
		t.Errorf("body %s lacks keep_alive -1", rec.Body)
	}
}

func TestDescribe(t *testing.T) {
	s := ollamatest.New(t)
	m := newModel(t, s, "llama3.2")
	e := newEmbedder(t, s, "nomic-embed-text")
	if n := chain.Describe(m); n.Kind != chain.KindModel || n.Name != "ollama:llama3.2" {
		t.Errorf("model node = %+v", n)
	}
	if n := chain.Describe(e); n.Kind != chain.KindModel || n.Name != "ollama:nomic-embed-text" {
		t.Errorf("embedder node = %+v", n)
	}
	if n := chain.Describe(llm.ChatChain(m)); n.Name != "ollama:llama3.2" {
		t.Errorf("ChatChain node = %+v", n)
	}
	if m.Name() != "llama3.2" || m.Host() != s.URL().String() || m.Client() == nil || e.Name() != "nomic-embed-text" {
		t.Errorf("Name %q Host %q", m.Name(), m.Host())
	}
}

// Token usage reaches hooks once per call, named after the model, from
// llm.Chat and llm.Stream; the adapter itself reports nothing.
func TestTokenEvents(t *testing.T) {
	s := ollamatest.New(t)
	s.Enqueue(ollamatest.Text("a").WithUsage(1, 2), ollamatest.Text("b").WithUsage(1, 2), ollamatest.Text("c").WithUsage(1, 2),
		ollamatest.Text("d").WithUsage(3, 4), ollamatest.Text("e").WithUsage(5, 6), ollamatest.Text("f").WithUsage(7, 8))
	m := newModel(t, s, "m")
	var got []chain.Event
	ctx := chain.WithHooks(testContext(t), chain.HookFuncs{OnEvent: func(_ context.Context, _ chain.NodeInfo, e chain.Event) {
		got = append(got, e)
	}})
	if _, err := m.Chat(ctx, ask("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := llm.Collect(m.Stream(ctx, ask("x"))); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Generate(ctx, "x"); err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Fatalf("the adapter reported %+v, want nothing", got)
	}
	if _, err := llm.ChatChain(m).Run(ctx, ask("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := llm.Chat(ctx, m, ask("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := llm.Collect(llm.Stream(ctx, m, ask("x"))); err != nil {
		t.Fatal(err)
	}
	want := []chain.Event{
		{Kind: chain.EventTokens, Name: "ollama:m", InputTokens: 3, OutputTokens: 4},
		{Kind: chain.EventTokens, Name: "ollama:m", InputTokens: 5, OutputTokens: 6},
		{Kind: chain.EventTokens, Name: "ollama:m", InputTokens: 7, OutputTokens: 8},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

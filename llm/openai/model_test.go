package openai_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/openaitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/openai"
)

func TestChatText(t *testing.T) {
	s := openaitest.New(t, openaitest.WithAPIKey(testKey))
	s.EnqueueChat(openaitest.Text("Bonjour !").WithUsage(11, 3))
	m := newModel(t, s)
	resp, err := m.Chat(context.Background(), llm.Request{Messages: []llm.Message{
		llm.System("Answer in French."), llm.User("Hello?"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := llm.Response{
		Message:      llm.Message{Role: llm.RoleAssistant, Parts: []llm.Part{llm.Text("Bonjour !")}},
		FinishReason: "stop",
		Usage:        llm.Usage{InputTokens: 11, OutputTokens: 3},
		Model:        "gpt-4o-mini",
	}
	if diff := cmp.Diff(want, resp); diff != "" {
		t.Errorf("response (-want +got):\n%s", diff)
	}
	body := lastBody(t, s)
	if got, want := jsonOf(t, body["messages"]), `[{"content":"Answer in French.","role":"system"},{"content":"Hello?","role":"user"}]`; got != want {
		t.Errorf("messages = %s, want %s", got, want)
	}
	if body["model"] != "gpt-4o-mini" || body["stream"] != false {
		t.Errorf("model, stream = %v, %v", body["model"], body["stream"])
	}
	for _, k := range []string{"tools", "tool_choice", "response_format", "temperature", "max_tokens"} {
		if _, ok := body[k]; ok {
			t.Errorf("request has %q, which was not asked for", k)
		}
	}
}

func TestChatImage(t *testing.T) {
	s := openaitest.New(t)
	m := newModel(t, s)
	png := []byte("\x89PNG\r\n\x1a\n fake image bytes")
	_, err := m.Chat(context.Background(), llm.Request{Messages: []llm.Message{
		llm.User("What is this?", llm.Image{MIMEType: "image/png", Data: png}),
	}})
	if err != nil {
		t.Fatal(err)
	}
	body := lastBody(t, s)
	want := `[{"content":[{"text":"What is this?","type":"text"},{"image_url":{"url":"data:image/png;base64,` +
		base64.StdEncoding.EncodeToString(png) + `"},"type":"image_url"}],"role":"user"}]`
	if got := jsonOf(t, body["messages"]); got != want {
		t.Errorf("messages =\n%s\nwant\n%s", got, want)
	}
}

var weatherTool = llm.Tool{
	Name:        "get_weather",
	Description: "Weather in a city",
	Parameters:  json.RawMessage(`{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}`),
}

func TestChatTools(t *testing.T) {
	tools := []llm.Tool{weatherTool, {Name: "now", Description: "The time"}}
	wantTools := `[{"function":{"description":"Weather in a city","name":"get_weather","parameters":{"properties":{"city":{"type":"string"}},"required":["city"],"type":"object"}},"type":"function"},` +
		`{"function":{"description":"The time","name":"now","parameters":{"properties":{},"type":"object"}},"type":"function"}]`
	for _, tc := range []struct {
		choice string
		want   string // the tool_choice sent, "" for none
	}{
		{"", ""},
		{"auto", `"auto"`},
		{"none", `"none"`},
		{"required", `"required"`},
		{"get_weather", `{"function":{"name":"get_weather"},"type":"function"}`},
	} {
		t.Run("choice="+tc.choice, func(t *testing.T) {
			s := openaitest.New(t)
			m := newModel(t, s)
			req := user("Weather in Paris?")
			req.Tools, req.ToolChoice = tools, tc.choice
			if _, err := m.Chat(context.Background(), req); err != nil {
				t.Fatal(err)
			}
			body := lastBody(t, s)
			if got := jsonOf(t, body["tools"]); got != wantTools {
				t.Errorf("tools =\n%s\nwant\n%s", got, wantTools)
			}
			got, ok := body["tool_choice"]
			switch {
			case tc.want == "" && ok:
				t.Errorf("tool_choice = %s, want none", jsonOf(t, got))
			case tc.want != "" && jsonOf(t, got) != tc.want:
				t.Errorf("tool_choice = %s, want %s", jsonOf(t, got), tc.want)
			}
		})
	}
}

func TestChatToolChoiceInvalid(t *testing.T) {
	s := openaitest.New(t)
	m := newModel(t, s)
	for _, req := range []llm.Request{
		{Messages: []llm.Message{llm.User("x")}, Tools: []llm.Tool{weatherTool}, ToolChoice: "no_such_tool"},
		{Messages: []llm.Message{llm.User("x")}, ToolChoice: "required"},
	} {
		if _, err := m.Chat(context.Background(), req); !errors.Is(err, llm.ErrInvalidRequest) {
			t.Errorf("tool choice %q: err = %v, want ErrInvalidRequest", req.ToolChoice, err)
		}
	}
	// Without tools, "auto" and "none" are left out rather than refused.
	req := user("x")
	req.ToolChoice = "none"
	if _, err := m.Chat(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if _, ok := lastBody(t, s)["tool_choice"]; ok {
		t.Error("tool_choice sent without tools")
	}
	if n := len(s.Requests()); n != 1 {
		t.Errorf("%d requests sent, want 1 (invalid ones are not sent)", n)
	}
}

func TestChatToolCallReply(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.ToolCalls(
		openaitest.ToolCall{ID: "call_1", Name: "get_weather", Arguments: `{"city":"Paris"}`},
		openaitest.ToolCall{ID: "call_2", Name: "now", Arguments: ``},
	))
	m := newModel(t, s)
	req := user("Weather in Paris, and the time?")
	req.Tools = []llm.Tool{weatherTool, {Name: "now"}}
	resp, err := m.Chat(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	want := []llm.ToolCall{
		{ID: "call_1", Name: "get_weather", Arguments: json.RawMessage(`{"city":"Paris"}`)},
		{ID: "call_2", Name: "now", Arguments: json.RawMessage(`{}`)},
	}
	if diff := cmp.Diff(want, resp.Message.ToolCalls); diff != "" {
		t.Errorf("tool calls (-want +got):\n%s", diff)
	}
	if resp.FinishReason != "tool_calls" || resp.Text() != "" {
		t.Errorf("finish %q, text %q", resp.FinishReason, resp.Text())
	}
}

func TestChatToolResults(t *testing.T) {
	s := openaitest.New(t)
	m := newModel(t, s)
	call := llm.ToolCall{ID: "call_9", Name: "get_weather", Arguments: json.RawMessage(`{"city":"Paris"}`)}
	_, err := m.Chat(context.Background(), llm.Request{
		Messages: []llm.Message{
			llm.User("Weather in Paris?"),
			{Role: llm.RoleAssistant, ToolCalls: []llm.ToolCall{call}},
			llm.ToolResult(call, `{"celsius":21}`),
		},
		Tools: []llm.Tool{weatherTool},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"content":"Weather in Paris?","role":"user"},` +
		`{"role":"assistant","tool_calls":[{"function":{"arguments":"{\"city\":\"Paris\"}","name":"get_weather"},"id":"call_9","type":"function"}]},` +
		`{"content":"{\"celsius\":21}","role":"tool","tool_call_id":"call_9"}]`
	if got := jsonOf(t, lastBody(t, s)["messages"]); got != want {
		t.Errorf("messages =\n%s\nwant\n%s", got, want)
	}
}

func TestChatResponseFormat(t *testing.T) {
	schema := json.RawMessage(`{"type":"object","properties":{"name":{"type":"string"}},"required":["name"],"additionalProperties":false}`)
	for _, tc := range []struct {
		name   string
		format *llm.Format
		want   string
	}{
		{"text", &llm.Format{Type: llm.FormatText}, ""},
		{"json", &llm.Format{Type: llm.FormatJSON}, `{"type":"json_object"}`},
		{"schema", &llm.Format{Type: llm.FormatJSONSchema, Name: "person", Schema: schema, Strict: true},
			`{"json_schema":{"name":"person","schema":{"additionalProperties":false,"properties":{"name":{"type":"string"}},"required":["name"],"type":"object"},"strict":true},"type":"json_schema"}`},
		{"schema no name", &llm.Format{Type: llm.FormatJSONSchema, Name: "my person!", Schema: schema},
			`{"json_schema":{"name":"my_person_","schema":{"additionalProperties":false,"properties":{"name":{"type":"string"}},"required":["name"],"type":"object"},"strict":false},"type":"json_schema"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openaitest.New(t)
			s.EnqueueChat(openaitest.JSON(map[string]string{"name": "Ada"}))
			m := newModel(t, s)
			req := user("Who wrote the first program? Answer in JSON.")
			req.Format = tc.format
			resp, err := m.Chat(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Text() != `{"name":"Ada"}` {
				t.Errorf("text = %q", resp.Text())
			}
			got, ok := lastBody(t, s)["response_format"]
			if tc.want == "" {
				if ok {
					t.Errorf("response_format = %s, want none", jsonOf(t, got))
				}
				return
			}
			if jsonOf(t, got) != tc.want {
				t.Errorf("response_format =\n%s\nwant\n%s", jsonOf(t, got), tc.want)
			}
		})
	}
}

func TestChatOptions(t *testing.T) {
	s := openaitest.New(t)
	m := newModel(t, s, openai.WithOptions(llm.Options{Temperature: ptr(0.7), MaxTokens: 100, Seed: ptr(1)}))

	req := user("hi")
	req.Options = llm.Options{Temperature: ptr(0.0), TopP: ptr(0.5), Stop: []string{"\n\n"}, Seed: ptr(42)}
	if _, err := m.Chat(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	body := lastBody(t, s)
	if temp, ok := body["temperature"].(float64); !ok || temp <= 0 || temp > 1e-30 {
		t.Errorf("temperature = %v, want a tiny positive number (zero, which go-openai would drop)", body["temperature"])
	}
	if body["top_p"] != 0.5 || body["max_tokens"] != 100.0 || body["seed"] != 42.0 || jsonOf(t, body["stop"]) != `["\n\n"]` {
		t.Errorf("top_p %v, max_tokens %v, seed %v, stop %v", body["top_p"], body["max_tokens"], body["seed"], body["stop"])
	}

	// Defaults alone.
	if _, err := m.Chat(context.Background(), user("hi")); err != nil {
		t.Fatal(err)
	}
	body = lastBody(t, s)
	if body["temperature"] != 0.7 || body["max_tokens"] != 100.0 || body["seed"] != 1.0 {
		t.Errorf("defaults: temperature %v, max_tokens %v, seed %v", body["temperature"], body["max_tokens"], body["seed"])
	}
}

func TestChatReasoningModelOptions(t *testing.T) {
	for _, name := range []string{"o1-mini", "o3-mini", "o4-mini", "gpt-5", "gpt-5-nano"} {
		t.Run(name, func(t *testing.T) {
			s := openaitest.New(t)
			m := newModelNamed(t, s, name)
			req := user("think")
			req.Options = llm.Options{Temperature: ptr(0.2), TopP: ptr(0.9), MaxTokens: 500}
			if _, err := m.Chat(context.Background(), req); err != nil {
				t.Fatalf("go-openai's checks should pass: %v", err)
			}
			body := lastBody(t, s)
			if body["max_completion_tokens"] != 500.0 {
				t.Errorf("max_completion_tokens = %v", body["max_completion_tokens"])
			}
			for _, k := range []string{"max_tokens", "temperature", "top_p"} {
				if v, ok := body[k]; ok {
					t.Errorf("%s = %v sent to a reasoning model", k, v)
				}
			}
		})
	}
}

func TestChatRefusal(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.Refusal("I can't help with that."), openaitest.Refusal("Still no."))
	m := newModel(t, s)
	_, err := m.Chat(context.Background(), user("something bad"))
	var re *openai.RefusalError
	if !errors.Is(err, openai.ErrRefused) || !errors.As(err, &re) || re.Refusal != "I can't help with that." {
		t.Fatalf("err = %v, want a RefusalError with the refusal", err)
	}
	_, err = llm.Collect(m.Stream(context.Background(), user("something bad")))
	if !errors.As(err, &re) || re.Refusal != "Still no." {
		t.Fatalf("stream err = %v, want a RefusalError with the refusal", err)
	}
}

func TestChatValidates(t *testing.T) {
	s := openaitest.New(t)
	m := newModel(t, s)
	for _, tc := range []struct {
		req  llm.Request
		want error
	}{
		{llm.Request{}, llm.ErrNoMessages},
		{llm.Request{Messages: []llm.Message{{Role: "robot", Parts: []llm.Part{llm.Text("x")}}}}, llm.ErrUnknownRole},
		{llm.Request{Messages: []llm.Message{llm.User("x", llm.Image{MIMEType: "image/bmp", Data: []byte{1}})}}, llm.ErrUnsupportedImage},
		{llm.Request{Messages: []llm.Message{llm.User("x")}, Format: &llm.Format{Type: "yaml"}}, llm.ErrInvalidRequest},
		{llm.Request{Messages: []llm.Message{llm.User("x")}, Options: llm.Options{MaxTokens: -1}}, llm.ErrInvalidRequest},
	} {
		if _, err := m.Chat(context.Background(), tc.req); !errors.Is(err, tc.want) {
			t.Errorf("Chat: err = %v, want %v", err, tc.want)
		}
		if _, err := llm.Collect(m.Stream(context.Background(), tc.req)); !errors.Is(err, tc.want) {
			t.Errorf("Stream: err = %v, want %v", err, tc.want)
		}
	}
	if n := len(s.Requests()); n != 0 {
		t.Errorf("%d requests sent for invalid requests", n)
	}
}

func TestDescribe(t *testing.T) {
	s := openaitest.New(t)
	m := newModel(t, s)
	n := chain.Describe(llm.ChatChain(m))
	if n.Kind != chain.KindModel || n.Name != "openai:gpt-4o-mini" {
		t.Errorf("node = %+v", n)
	}
	e := newEmbedder(t, s)
	if n := chain.Describe(e); n.Kind != chain.KindModel || n.Name != "openai:text-embedding-3-small" {
		t.Errorf("embedder node = %+v", n)
	}
	m2, err := openai.New("gpt-4o", openai.WithAPIKey("k"))
	if err != nil {
		t.Fatal(err)
	}
	if n := chain.Describe(m2); n.Detail != "" {
		t.Errorf("detail for OpenAI itself = %q, want empty", n.Detail)
	}
}

// TestUsageReportedOnce: the adapter only reports usage in its answers;
// llm.Chat, llm.Stream and llm.ChatChain report it to hooks once per call,
// named after the model.
func TestUsageReportedOnce(t *testing.T) {
	s := openaitest.New(t)
	s.EnqueueChat(openaitest.Text("ok").WithUsage(5, 2), openaitest.Text("ok").WithUsage(5, 2),
		openaitest.Text("ok").WithUsage(5, 2), openaitest.Text("ok").WithUsage(5, 2).WithChunkSize(1))
	m := newModel(t, s)
	ctx, events := tokenEvents(context.Background())
	if _, err := m.Chat(ctx, user("hi")); err != nil {
		t.Fatal(err)
	}
	if ev := events(); len(ev) != 0 {
		t.Fatalf("Model.Chat reported %+v, want nothing", ev)
	}
	if _, err := llm.Collect(m.Stream(ctx, user("hi"))); err != nil {
		t.Fatal(err)
	}
	if ev := events(); len(ev) != 0 {
		t.Fatalf("Model.Stream reported %+v, want nothing", ev)
	}
	for name, call := range map[string]func() error{
		"llm.ChatChain": func() error { _, err := llm.ChatChain(m).Run(ctx, user("hi")); return err },
		"llm.Stream":    func() error { _, err := llm.Collect(llm.Stream(ctx, m, user("hi"))); return err },
	} {
		before := len(events())
		if err := call(); err != nil {
			t.Fatal(err)
		}
		ev := events()[before:]
		if len(ev) != 1 || ev[0].Name != "openai:gpt-4o-mini" || ev[0].InputTokens != 5 || ev[0].OutputTokens != 2 {
			t.Errorf("%s: token events = %+v, want one of openai:gpt-4o-mini, 5 in, 2 out", name, ev)
		}
	}
}

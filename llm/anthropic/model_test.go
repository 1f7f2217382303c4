package anthropic_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/anthropictest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/anthropic"
)

func TestChatSendsHeadersAndDefaults(t *testing.T) {
	s := anthropictest.New(t, anthropictest.WithAPIKey(testKey))
	m := newModel(t, s)
	s.Enqueue(anthropictest.Text("Hello!"))
	resp, err := m.Chat(ctxTimeout(t, 10*time.Second), user("hi"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Text() != "Hello!" || resp.FinishReason != "stop" || resp.Model != modelName {
		t.Errorf("response = %+v", resp)
	}
	r, _ := s.LastRequest()
	if r.Header.Get("X-Api-Key") != testKey || r.Header.Get("Anthropic-Version") == "" {
		t.Errorf("headers x-api-key %q, anthropic-version %q", r.Header.Get("X-Api-Key"), r.Header.Get("Anthropic-Version"))
	}
	if r.Header.Get("Authorization") != "" {
		t.Errorf("Authorization %q sent besides x-api-key", r.Header.Get("Authorization"))
	}
	if r.Header.Get("X-Stainless-Retry-Count") != "0" {
		t.Errorf("X-Stainless-Retry-Count = %q: the SDK retried", r.Header.Get("X-Stainless-Retry-Count"))
	}
	body := lastBody(t, s)
	if body["model"] != modelName || body["max_tokens"] != float64(anthropic.DefaultMaxTokens) {
		t.Errorf("model %v, max_tokens %v; want %s and %d", body["model"], body["max_tokens"], modelName, anthropic.DefaultMaxTokens)
	}
	for _, k := range []string{"temperature", "top_p", "system", "tools", "tool_choice", "output_config", "stream"} {
		if _, ok := body[k]; ok {
			t.Errorf("body has %q: %s", k, jsonOf(t, body))
		}
	}
}

func TestRequestMapping(t *testing.T) {
	s := anthropictest.New(t)
	m := newModel(t, s, anthropic.WithOptions(llm.Options{MaxTokens: 500, Stop: []string{"END"}, Temperature: ptr(0.2)}))
	png := []byte("\x89PNG fake image")
	call := llm.ToolCall{ID: "toolu_1", Name: "weather", Arguments: json.RawMessage(`{"city":"Paris"}`)}
	call2 := llm.ToolCall{ID: "toolu_2", Name: "weather", Arguments: json.RawMessage(`{"city":"Rome"}`)}
	req := llm.Request{
		Messages: []llm.Message{
			llm.System("You are terse."),
			llm.User("What is in this picture, and the weather?", llm.Image{MIMEType: "image/png", Data: png}),
			{Role: llm.RoleAssistant, Parts: []llm.Part{llm.Text("Let me check.")}, ToolCalls: []llm.ToolCall{call, call2}},
			llm.ToolResult(call, "sunny"),
			llm.ToolResult(call2, "rainy"),
			llm.System("Answer in French."),
		},
		Tools: []llm.Tool{{Name: "weather", Description: "Weather of a city",
			Parameters: json.RawMessage(`{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}`)}},
		ToolChoice: "weather",
		Options:    llm.Options{MaxTokens: 100},
	}
	if _, err := m.Chat(ctxTimeout(t, 10*time.Second), req); err != nil {
		t.Fatal(err)
	}
	body := lastBody(t, s)
	checks := map[string]string{
		"system":         `[{"text":"You are terse.","type":"text"},{"text":"Answer in French.","type":"text"}]`,
		"max_tokens":     `100`,
		"stop_sequences": `["END"]`,
		"tool_choice":    `{"name":"weather","type":"tool"}`,
		"tools":          `[{"description":"Weather of a city","input_schema":{"properties":{"city":{"type":"string"}},"required":["city"],"type":"object"},"name":"weather"}]`,
		"messages": `[{"content":[{"text":"What is in this picture, and the weather?","type":"text"},` +
			`{"source":{"data":"iVBORyBmYWtlIGltYWdl","media_type":"image/png","type":"base64"},"type":"image"}],"role":"user"},` +
			`{"content":[{"text":"Let me check.","type":"text"},{"id":"toolu_1","input":{"city":"Paris"},"name":"weather","type":"tool_use"},` +
			`{"id":"toolu_2","input":{"city":"Rome"},"name":"weather","type":"tool_use"}],"role":"assistant"},` +
			`{"content":[{"content":[{"text":"sunny","type":"text"}],"tool_use_id":"toolu_1","type":"tool_result"},` +
			`{"content":[{"text":"rainy","type":"text"}],"tool_use_id":"toolu_2","type":"tool_result"}],"role":"user"}]`,
	}
	for k, want := range checks {
		if got := jsonOf(t, body[k]); got != want {
			t.Errorf("%s =\n%s\nwant\n%s", k, got, want)
		}
	}
	if _, ok := body["temperature"]; ok {
		t.Error("temperature sent; the Messages API of this version has none")
	}
}

func TestToolChoice(t *testing.T) {
	tools := []llm.Tool{{Name: "a"}, {Name: "b"}}
	cases := []struct {
		choice string
		tools  []llm.Tool
		want   string // JSON of tool_choice, "" for absent
		err    bool
	}{
		{"", tools, "", false},
		{"auto", tools, `{"type":"auto"}`, false},
		{"none", tools, `{"type":"none"}`, false},
		{"required", tools, `{"type":"any"}`, false},
		{"b", tools, `{"name":"b","type":"tool"}`, false},
		{"auto", nil, "", false},
		{"none", nil, "", false},
		{"required", nil, "", true},
		{"c", tools, "", true},
	}
	for _, tc := range cases {
		s := anthropictest.New(t)
		m := newModel(t, s)
		req := user("hi")
		req.Tools, req.ToolChoice = tc.tools, tc.choice
		_, err := m.Chat(ctxTimeout(t, 10*time.Second), req)
		if tc.err {
			if !errors.Is(err, llm.ErrInvalidRequest) || len(s.Requests()) != 0 {
				t.Errorf("choice %q: err %v, %d requests; want llm.ErrInvalidRequest before sending", tc.choice, err, len(s.Requests()))
			}
			continue
		}
		if err != nil {
			t.Fatalf("choice %q: %v", tc.choice, err)
		}
		body := lastBody(t, s)
		got := ""
		if v, ok := body["tool_choice"]; ok {
			got = jsonOf(t, v)
		}
		if got != tc.want {
			t.Errorf("choice %q: tool_choice %s, want %s", tc.choice, got, tc.want)
		}
		if len(tc.tools) > 0 && jsonOf(t, body["tools"].([]any)[0].(map[string]any)["input_schema"]) != `{"properties":{},"type":"object"}` {
			t.Errorf("a tool without parameters: input_schema %s", jsonOf(t, body["tools"]))
		}
	}
}

func TestFormats(t *testing.T) {
	s := anthropictest.New(t)
	m := newModel(t, s)
	schema := `{"type":"object","properties":{"n":{"type":"integer","minimum":1.50}},"required":["n"],"additionalProperties":false}`
	req := user("count")
	req.Format = &llm.Format{Type: llm.FormatJSONSchema, Name: "count", Schema: json.RawMessage(schema), Strict: true}
	s.Enqueue(anthropictest.JSON(map[string]int{"n": 3}))
	resp, err := m.Chat(ctxTimeout(t, 10*time.Second), req)
	if err != nil || resp.Text() != `{"n":3}` {
		t.Fatalf("Chat = %q, %v", resp.Text(), err)
	}
	r, _ := s.LastRequest()
	var got, want any
	_ = json.Unmarshal(r.Schema(), &got)
	_ = json.Unmarshal([]byte(schema), &want)
	if jsonOf(t, got) != jsonOf(t, want) || !strings.Contains(string(r.Schema()), "1.50") {
		t.Errorf("output_config.format.schema = %s, want %s (numbers as written)", r.Schema(), schema)
	}
	if r.Params.OutputConfig.Format.Type != "json_schema" {
		t.Errorf("format type %q", r.Params.OutputConfig.Format.Type)
	}

	req.Format = &llm.Format{Type: llm.FormatJSON}
	if _, err := m.Chat(ctxTimeout(t, 10*time.Second), req); err != nil {
		t.Fatal(err)
	}
	r, _ = s.LastRequest()
	if r.Schema() != nil || !strings.Contains(r.SystemText(), "JSON object") {
		t.Errorf("json format: schema %s, system %q; want no schema and an instruction", r.Schema(), r.SystemText())
	}

	req.Format = &llm.Format{Type: "yaml"}
	if _, err := m.Chat(ctxTimeout(t, 10*time.Second), req); !errors.Is(err, llm.ErrInvalidRequest) {
		t.Errorf("unknown format: %v", err)
	}
}

func TestPromptCaching(t *testing.T) {
	s := anthropictest.New(t)
	m := newModel(t, s, anthropic.WithPromptCaching(anthropic.CacheSystem|anthropic.CacheTools|anthropic.CacheLastMessage))
	req := llm.Request{
		Messages: []llm.Message{llm.System("Long house rules."), llm.User("first"), llm.Assistant("ok"), llm.User("second")},
		Tools:    []llm.Tool{{Name: "a"}, {Name: "b"}},
	}
	s.Enqueue(anthropictest.Text("fine").WithUsage(anthropictest.Usage{InputTokens: 10, CacheCreationInputTokens: 200, CacheReadInputTokens: 1000, OutputTokens: 5}))
	resp, err := m.Chat(ctxTimeout(t, 10*time.Second), req)
	if err != nil {
		t.Fatal(err)
	}
	if want := (llm.Usage{InputTokens: 1210, OutputTokens: 5, CacheReadTokens: 1000, CacheWriteTokens: 200}); resp.Usage != want {
		t.Errorf("usage %+v, want %+v", resp.Usage, want)
	}
	r, _ := s.LastRequest()
	p := r.Params
	sys := r.SystemBlocks()
	if len(sys) != 1 || sys[0].CacheControl == nil || sys[0].CacheControl.Type != "ephemeral" {
		t.Errorf("system %+v: want the last block marked ephemeral", sys)
	}
	if p.Tools[0].CacheControl != nil || p.Tools[1].CacheControl == nil {
		t.Errorf("tools: want only the last marked")
	}
	last := p.Messages[len(p.Messages)-1].Blocks
	if last[len(last)-1].CacheControl == nil || p.Messages[0].Blocks[0].CacheControl != nil {
		t.Errorf("messages: want only the last block of the last message marked: %s", r.Body)
	}

	// Without the option nothing is marked.
	m = newModel(t, s)
	if _, err := m.Chat(ctxTimeout(t, 10*time.Second), req); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.LastRequest(); strings.Contains(string(r.Body), "cache_control") {
		t.Errorf("cache_control sent without WithPromptCaching: %s", r.Body)
	}
}

func TestResponseMapping(t *testing.T) {
	cases := []struct {
		reply  anthropictest.Reply
		finish string
	}{
		{anthropictest.Text("a"), "stop"},
		{anthropictest.Text("a").WithStopReason("stop_sequence"), "stop"},
		{anthropictest.Text("a").WithStopReason("max_tokens"), "length"},
		{anthropictest.Text("a").WithStopReason("model_context_window_exceeded"), "length"},
		{anthropictest.Text("a").WithStopReason("refusal"), "content_filter"},
		{anthropictest.Text("a").WithStopReason("pause_turn"), "pause_turn"},
		{anthropictest.ToolCalls(anthropictest.ToolCall{Name: "f", Input: `{"x":1}`}), "tool_calls"},
	}
	s := anthropictest.New(t)
	m := newModel(t, s)
	for _, tc := range cases {
		for _, stream := range []bool{false, true} {
			s.Enqueue(tc.reply)
			var (
				resp llm.Response
				err  error
			)
			if stream {
				resp, err = llm.Collect(m.Stream(ctxTimeout(t, 10*time.Second), user("q")))
			} else {
				resp, err = m.Chat(ctxTimeout(t, 10*time.Second), user("q"))
			}
			if err != nil {
				t.Fatal(err)
			}
			if resp.FinishReason != tc.finish {
				t.Errorf("%v (stream %v): finish %q, want %q", tc.reply, stream, resp.FinishReason, tc.finish)
			}
			if tc.finish == "tool_calls" {
				calls := resp.Message.ToolCalls
				if len(calls) != 1 || calls[0].Name != "f" || string(calls[0].Arguments) != `{"x":1}` || !strings.HasPrefix(calls[0].ID, "toolu_") {
					t.Errorf("stream %v: tool calls %+v", stream, calls)
				}
			}
		}
	}
}

func TestDescribe(t *testing.T) {
	s := anthropictest.New(t)
	m := newModel(t, s)
	n := chain.Describe(m)
	if n.Name != "anthropic:"+modelName || n.Kind != chain.KindModel || m.String() != n.Name {
		t.Errorf("Describe = %+v, String = %q", n, m.String())
	}
	if !strings.HasPrefix(n.Detail, "127.0.0.1:") {
		t.Errorf("detail %q, want the test server's host", n.Detail)
	}
}

package gemini_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/internal/geminitest"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/gemini"
)

// TestChatRequestShape: system messages become the system instruction,
// roles user and model, images inline data, options the generation
// config; the path is v1beta's generateContent and the key goes in
// x-goog-api-key, never in the URL.
func TestChatRequestShape(t *testing.T) {
	s := newServer(t)
	temp, topP, seed := 0.3, 0.9, 7
	m := newModel(t, s, gemini.WithOptions(llm.Options{MaxTokens: 99, Temperature: &temp}))
	s.EnqueueChat(geminitest.Text("Paris").WithUsage(12, 3))
	png := []byte{0x89, 'P', 'N', 'G'}
	resp, err := m.Chat(context.Background(), llm.Request{
		Messages: []llm.Message{
			llm.System("Be brief."),
			llm.User("Hello"),
			llm.Assistant("Hi."),
			llm.User("What is this?", llm.Image{MIMEType: "image/png", Data: png}),
		},
		Options: llm.Options{TopP: &topP, Seed: &seed, Stop: []string{"END"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Text() != "Paris" || resp.FinishReason != "stop" || resp.Usage != (llm.Usage{InputTokens: 12, OutputTokens: 3}) {
		t.Errorf("response = %+v", resp)
	}
	r, g := lastGenerate(t, s)
	if r.Path != "/v1beta/models/gemini-2.5-flash:generateContent" {
		t.Errorf("path = %s", r.Path)
	}
	if r.Header.Get("X-Goog-Api-Key") != testKey || strings.Contains(r.RawQuery, testKey) {
		t.Errorf("key header %q, query %q", r.Header.Get("X-Goog-Api-Key"), r.RawQuery)
	}
	if g.SystemInstruction == nil || len(g.SystemInstruction.Parts) != 1 || g.SystemInstruction.Parts[0].Text != "Be brief." {
		t.Errorf("system instruction = %+v", g.SystemInstruction)
	}
	var roles []string
	for _, c := range g.Contents {
		roles = append(roles, c.Role)
	}
	if strings.Join(roles, ",") != "user,model,user" {
		t.Errorf("roles = %v", roles)
	}
	last := g.Contents[2]
	if len(last.Parts) != 2 || last.Parts[1].InlineData == nil || last.Parts[1].InlineData.MIMEType != "image/png" || string(last.Parts[1].InlineData.Data) != string(png) {
		t.Errorf("image part = %+v", last.Parts)
	}
	gc := g.GenerationConfig
	if gc == nil || gc.MaxOutputTokens != 99 || float32(*gc.Temperature) != 0.3 || float32(*gc.TopP) != 0.9 || *gc.Seed != 7 || gc.StopSequences[0] != "END" {
		t.Errorf("generation config = %+v", gc)
	}
}

// TestFunctionCalling: tools become function declarations with their
// JSON Schema, tool choices the calling modes, function calls tool calls,
// and tool results function responses in one user content, with the
// thought signature sent back on the call.
func TestFunctionCalling(t *testing.T) {
	params := `{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}`
	tools := []llm.Tool{{Name: "weather", Description: "Weather of a city", Parameters: json.RawMessage(params)}, {Name: "time"}}
	for _, tc := range []struct {
		choice, mode string
		allowed      []string
	}{{"", "", nil}, {"auto", "", nil}, {"none", "NONE", nil}, {"required", "ANY", nil}, {"time", "ANY", []string{"time"}}} {
		s := newServer(t)
		m := newModel(t, s)
		if _, err := m.Chat(context.Background(), llm.Request{Messages: []llm.Message{llm.User("x")}, Tools: tools, ToolChoice: tc.choice}); err != nil {
			t.Fatal(err)
		}
		_, g := lastGenerate(t, s)
		if len(g.Tools) != 1 || len(g.Tools[0].FunctionDeclarations) != 2 {
			t.Fatalf("tools = %+v", g.Tools)
		}
		d := g.Tools[0].FunctionDeclarations[0]
		if d.Name != "weather" || d.Description != "Weather of a city" || !jsonEq(t, string(d.ParametersJSONSchema), params) {
			t.Errorf("declaration = %+v", d)
		}
		mode, allowed := "", []string(nil)
		if g.ToolConfig != nil && g.ToolConfig.FunctionCallingConfig != nil {
			mode, allowed = g.ToolConfig.FunctionCallingConfig.Mode, g.ToolConfig.FunctionCallingConfig.AllowedFunctionNames
		}
		if mode != tc.mode || strings.Join(allowed, ",") != strings.Join(tc.allowed, ",") {
			t.Errorf("choice %q: mode %q allowed %v, want %q %v", tc.choice, mode, allowed, tc.mode, tc.allowed)
		}
	}

	s := newServer(t)
	m := newModel(t, s)
	sig := []byte{1, 2, 3, 250}
	s.EnqueueChat(geminitest.FunctionCalls(
		geminitest.Call{Name: "weather", Args: `{"city":"Paris"}`, ThoughtSignature: sig},
		geminitest.Call{ID: "fc-2", Name: "time"},
	))
	req := llm.Request{Messages: []llm.Message{llm.User("Weather and time?")}, Tools: tools}
	resp, err := m.Chat(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	calls := resp.Message.ToolCalls
	if resp.FinishReason != "tool_calls" || len(calls) != 2 || calls[0].Name != "weather" || string(calls[0].Arguments) != `{"city":"Paris"}` ||
		calls[0].ID == "" || calls[1].Name != "time" || string(calls[1].Arguments) != "{}" || !strings.HasPrefix(calls[1].ID, "fc-2") {
		t.Fatalf("response = %+v", resp)
	}
	req.Messages = append(req.Messages, resp.Message,
		llm.ToolResult(calls[0], `{"temp_c":21}`),
		llm.Message{Role: llm.RoleTool, ToolCallID: calls[1].ID, Parts: []llm.Part{llm.Text("12:00")}}) // no Name: found by ID
	if _, err := m.Chat(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	_, g := lastGenerate(t, s)
	if len(g.Contents) != 3 {
		t.Fatalf("contents = %+v", g.Contents)
	}
	model, results := g.Contents[1], g.Contents[2]
	if model.Role != "model" || len(model.Parts) != 2 || model.Parts[0].FunctionCall == nil || string(model.Parts[0].ThoughtSignature) != string(sig) ||
		model.Parts[0].FunctionCall.ID != "" || model.Parts[1].FunctionCall.ID != "fc-2" || !jsonEq(t, string(model.Parts[0].FunctionCall.Args), `{"city":"Paris"}`) {
		t.Errorf("model content = %+v", model)
	}
	if results.Role != "user" || len(results.Parts) != 2 {
		t.Fatalf("results = %+v", results)
	}
	r0, r1 := results.Parts[0].FunctionResponse, results.Parts[1].FunctionResponse
	if r0 == nil || r0.Name != "weather" || !jsonEq(t, string(r0.Response), `{"temp_c":21}`) ||
		r1 == nil || r1.Name != "time" || r1.ID != "fc-2" || !jsonEq(t, string(r1.Response), `{"output":"12:00"}`) {
		t.Errorf("function responses = %+v %+v", r0, r1)
	}
}

// TestInvalidRequests are refused before anything is sent, matching
// llm.ErrInvalidRequest.
func TestInvalidRequests(t *testing.T) {
	s := newServer(t)
	m := newModel(t, s)
	for name, req := range map[string]llm.Request{
		"only system":          {Messages: []llm.Message{llm.System("x")}},
		"choice without tools": {Messages: []llm.Message{llm.User("x")}, ToolChoice: "required"},
		"unknown tool choice":  {Messages: []llm.Message{llm.User("x")}, Tools: []llm.Tool{{Name: "a"}}, ToolChoice: "b"},
		"tool result of unknown call": {Messages: []llm.Message{llm.User("x"),
			{Role: llm.RoleTool, ToolCallID: "nope", Parts: []llm.Part{llm.Text("1")}}}},
		"arguments not an object": {Messages: []llm.Message{llm.User("x"),
			{Role: llm.RoleAssistant, ToolCalls: []llm.ToolCall{{ID: "1", Name: "a", Arguments: json.RawMessage(`[1]`)}}}}},
	} {
		_, err := m.Chat(context.Background(), req)
		if !errors.Is(err, llm.ErrInvalidRequest) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if n := len(s.Requests()); n != 0 {
		t.Errorf("%d requests reached the server", n)
	}
}

type city struct {
	Name       string `json:"name"`
	Population int    `json:"population"`
}

// TestStructuredOutput: a schema format asks for application/json with
// the schema as responseJsonSchema, and llm.Structured decodes the reply.
func TestStructuredOutput(t *testing.T) {
	s := newServer(t)
	m := newModel(t, s)
	s.EnqueueChat(geminitest.JSON(city{"Paris", 2100000}))
	got, err := llm.Structured[string, city](m).Run(context.Background(), "The capital of France?")
	if err != nil {
		t.Fatal(err)
	}
	if got != (city{"Paris", 2100000}) {
		t.Errorf("got %+v", got)
	}
	_, g := lastGenerate(t, s)
	if g.GenerationConfig.ResponseMIMEType != "application/json" || !strings.Contains(string(g.GenerationConfig.ResponseJSONSchema), `"population"`) {
		t.Errorf("generation config = %+v", g.GenerationConfig)
	}
	if _, err := m.Chat(context.Background(), llm.Request{Messages: []llm.Message{llm.User("x")}, Format: &llm.Format{Type: llm.FormatJSON}}); err != nil {
		t.Fatal(err)
	}
	if _, g := lastGenerate(t, s); g.GenerationConfig.ResponseMIMEType != "application/json" || g.GenerationConfig.ResponseJSONSchema != nil {
		t.Errorf("json format config = %+v", g.GenerationConfig)
	}
}

// TestFinishReasons maps Gemini's reasons to llm's names.
func TestFinishReasons(t *testing.T) {
	s := newServer(t)
	m := newModel(t, s)
	for reason, want := range map[string]string{"STOP": "stop", "MAX_TOKENS": "length", "OTHER": "other", "MALFORMED_FUNCTION_CALL": "malformed_function_call"} {
		s.EnqueueChat(geminitest.Text("x").WithFinishReason(reason))
		resp, err := m.Chat(context.Background(), user("x"))
		if err != nil || resp.FinishReason != want {
			t.Errorf("%s: %q, %v; want %q", reason, resp.FinishReason, err, want)
		}
	}
}

// TestDescribe names the model "gemini:<model>" and the server when it is
// not Google's.
func TestDescribe(t *testing.T) {
	s := newServer(t)
	m := newModel(t, s)
	n := chain.Describe(m)
	if n.Name != "gemini:gemini-2.5-flash" || n.Kind != chain.KindModel || n.Detail == "" || m.String() != n.Name {
		t.Errorf("node = %+v", n)
	}
	e := newEmbedder(t, s)
	if chain.Describe(e).Name != "gemini:gemini-embedding-001" {
		t.Errorf("embedder node = %+v", chain.Describe(e))
	}
}

// TestConcurrentChat: one model serves many goroutines (run with -race).
func TestConcurrentChat(t *testing.T) {
	s := newServer(t)
	m := newModel(t, s)
	ctx := ctxTimeout(t, 30*time.Second)
	errs := make(chan error, 16)
	for i := range 16 {
		go func() {
			want := strings.Repeat("y", i+1)
			resp, err := m.Chat(ctx, user(want))
			if err == nil && resp.Text() != want {
				err = errors.New("got " + resp.Text())
			}
			errs <- err
		}()
	}
	for range 16 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chorus-go/chorus/internal/ollamatest"
	"github.com/chorus-go/chorus/internal/openaitest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// runWith runs the program with the given arguments, environment and
// stdin, and returns its exit status, stdout and stderr.
func runWith(t *testing.T, args []string, vars map[string]string, stdin string, client *http.Client) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, env{
		getenv:      func(k string) string { return vars[k] },
		stdin:       strings.NewReader(stdin),
		stdout:      &stdout,
		stderr:      &stderr,
		httpClient:  client,
		reliability: fastRetries,
	})
	return code, stdout.String(), stderr.String()
}

// chatRequests are the chat requests s received (not the model's
// look-up at start).
func chatRequests(s *openaitest.Server) []openaitest.Request {
	var out []openaitest.Request
	for _, r := range s.Requests() {
		if r.Chat != nil {
			out = append(out, r)
		}
	}
	return out
}

func TestRunWithoutModel(t *testing.T) {
	for _, args := range [][]string{{"What is 2+2?"}, {"-provider", "openai", "What is 2+2?"}} {
		code, stdout, stderr := runWith(t, args, nil, "", nil)
		if code != 2 || stdout != "" {
			t.Errorf("%v: exit %d, stdout %q", args, code, stdout)
		}
		for _, want := range []string{"OPENAI_API_KEY", "OPENAI_BASE_URL", "OLLAMA_HOST", "-model", "go run ./examples/agent"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("%v: stderr does not mention %s:\n%s", args, want, stderr)
			}
		}
	}
	if code, _, stderr := runWith(t, []string{"-provider", "bard"}, nil, "", nil); code != 2 || !strings.Contains(stderr, `unknown provider "bard"`) {
		t.Errorf("unknown provider: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runWith(t, []string{"-h"}, nil, "", nil); code != 0 || !strings.Contains(stderr, "-react") {
		t.Errorf("-h: exit %d, %s", code, stderr)
	}
	if code, _, _ := runWith(t, []string{"-no-such-flag"}, nil, "", nil); code != 2 {
		t.Errorf("bad flag: exit %d", code)
	}
}

// The program end to end on the real go-openai client: the model looks up
// the price and the discount, computes, and answers.
func TestRunOpenAI(t *testing.T) {
	s := openaitest.New(t, openaitest.WithAPIKey("sk-test"))
	s.EnqueueChat(
		openaitest.ToolCalls(
			openaitest.ToolCall{ID: "c1", Name: "search", Arguments: `{"query":"Kettle Pro price"}`},
			openaitest.ToolCall{ID: "c2", Name: "search", Arguments: `{"query":"club member discount"}`},
		),
		openaitest.ToolCalls(openaitest.ToolCall{ID: "c3", Name: "calculator", Arguments: `{"expression":"3 * 89.50 * 15%"}`}),
		openaitest.ToolCalls(openaitest.ToolCall{ID: "c4", Name: "calculator", Arguments: `{"expression":"3 * 89.50 * (1 - 0.15)"}`}),
		openaitest.Text("Three Kettle Pro cost 228.23 EUR for a club member, with free shipping."),
	)
	vars := map[string]string{"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": s.URL()}
	code, stdout, stderr := runWith(t, []string{"How much are 3 Kettle Pro for a club member?"}, vars, "", s.HTTPClient())
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if want := "Three Kettle Pro cost 228.23 EUR for a club member, with free shipping.\n"; stdout != want {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	for _, want := range []string{"OpenAI model gpt-4o-mini at 127.0.0.1", "tools: calculator, search", "[search] {\"query\":\"Kettle Pro price\"}", "[calculator] → 228.225"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	reqs := chatRequests(s)
	if len(reqs) != 4 {
		t.Fatalf("%d requests", len(reqs))
	}
	results := func(i int) []string {
		var out []string
		for _, m := range reqs[i].Chat.Messages {
			if m.Role == "tool" {
				out = append(out, m.Content)
			}
		}
		return out
	}
	if r := results(1); len(r) != 2 || !strings.Contains(r[0], "Price: 89.50 EUR") || !strings.Contains(r[1], "15 percent off") {
		t.Errorf("search results sent back: %q", r)
	}
	if r := results(2); !strings.HasPrefix(r[2], "error: unexpected '%'") {
		t.Errorf("the calculator's error sent back: %q", r[2])
	}
	if r := results(3); r[3] != "228.225" {
		t.Errorf("the calculator's result sent back: %q", r[3])
	}
	if sys := reqs[0].Chat.Messages[0]; sys.Role != "system" || !strings.Contains(sys.Content, "Northwind Kettles") || len(reqs[0].Chat.Tools) != 2 {
		t.Errorf("first request: %+v", reqs[0].Chat)
	}
}

// Questions on stdin are one conversation, on Ollama's real client.
func TestRunOllamaConversation(t *testing.T) {
	s := ollamatest.New(t, ollamatest.WithModels("qwen3"))
	s.Enqueue(
		ollamatest.ToolCalls(ollamatest.Call("search", map[string]any{"query": "shipping"})),
		ollamatest.Text("Orders of 50 EUR or more ship free."),
		ollamatest.Text("Express costs 9.90 EUR."),
	)
	vars := map[string]string{"OLLAMA_HOST": s.URL().String()}
	code, stdout, stderr := runWith(t, []string{"-model", "qwen3"}, vars, "Is shipping free?\n\nAnd express?\n", s.HTTPClient())
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if want := "Orders of 50 EUR or more ship free.\nExpress costs 9.90 EUR.\n"; stdout != want {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	reqs := s.Requests()
	last := reqs[len(reqs)-1].Chat.Messages
	var roles []string
	for _, m := range last {
		roles = append(roles, m.Role)
	}
	if got := strings.Join(roles, " "); got != "system user assistant tool assistant user" {
		t.Errorf("the second question was sent with %s", got)
	}
	if !strings.Contains(last[3].Content, "4.95 EUR") {
		t.Errorf("the search result: %q", last[3].Content)
	}
}

// -react drives a model without tool calling through the text protocol.
func TestRunReAct(t *testing.T) {
	s := openaitest.New(t, openaitest.WithModels("local"))
	s.EnqueueChat(
		openaitest.Text("Thought: compute it\nAction: calculator\nAction Input: {\"expression\": \"(2 + 3) * 4\"}"),
		openaitest.Text("Thought: done\nFinal Answer: 20"),
	)
	vars := map[string]string{"OPENAI_BASE_URL": s.URL()}
	code, stdout, stderr := runWith(t, []string{"-react", "-model", "local", "(2+3)*4?"}, vars, "", s.HTTPClient())
	if code != 0 || stdout != "20\n" || !strings.Contains(stderr, "[calculator] → 20") {
		t.Errorf("exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
	if reqs := chatRequests(s); len(reqs[0].Chat.Tools) != 0 || !strings.Contains(reqs[1].Chat.Messages[3].Content, "Observation: 20") {
		t.Errorf("requests %+v", reqs[1].Chat.Messages)
	}
}

func TestRunFailures(t *testing.T) {
	s := openaitest.New(t, openaitest.WithAPIKey("sk-right"))
	vars := map[string]string{"OPENAI_API_KEY": "sk-wrong", "OPENAI_BASE_URL": s.URL()}
	code, _, stderr := runWith(t, []string{"hi"}, vars, "", s.HTTPClient())
	if code != 1 || !strings.Contains(stderr, "check OPENAI_API_KEY") || strings.Contains(stderr, "sk-wrong") {
		t.Errorf("wrong key: exit %d, %s", code, stderr)
	}
	s.EnqueueChat(
		openaitest.ToolCalls(openaitest.ToolCall{Name: "calculator", Arguments: `{"expression":"1"}`}),
		openaitest.ToolCalls(openaitest.ToolCall{Name: "calculator", Arguments: `{"expression":"1"}`}),
	)
	vars["OPENAI_API_KEY"] = "sk-right"
	code, _, stderr = runWith(t, []string{"-max-steps", "2", "hi"}, vars, "", s.HTTPClient())
	if code != 1 || !strings.Contains(stderr, "try -max-steps") {
		t.Errorf("max steps: exit %d, %s", code, stderr)
	}
}

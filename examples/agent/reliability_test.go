package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chorus-go/chorus/examples/internal/faulty"
	"github.com/chorus-go/chorus/examples/internal/reliable"
	"github.com/chorus-go/chorus/internal/ollamatest"
	"github.com/chorus-go/chorus/internal/openaitest"
)

// fastRetries is the guard of the tests' model: the default layers, with
// short waits between retries.
var fastRetries = reliable.Settings{Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}

// Against an OpenAI-compatible server that fails one request in five
// (429 with Retry-After, 500, 503, a dropped connection, a garbled body),
// a conversation of 15 questions, each a search and an answer, is
// answered in full, the exit status is 0, and the last line counts one
// retry per failure the server injected.
func TestRunFlakyServer(t *testing.T) {
	s := openaitest.New(t, openaitest.WithAPIKey("sk-test"))
	sched := faulty.Schedule{RetryAfter: 20 * time.Millisecond}
	sched.Serve(s, openaitest.Func(func(req *openaitest.Request) openaitest.Reply {
		msgs := req.Chat.Messages
		last := msgs[len(msgs)-1]
		if last.Role == "user" {
			return openaitest.ToolCalls(openaitest.ToolCall{ID: fmt.Sprint("call", len(msgs)), Name: "search", Arguments: `{"query":"shipping"}`})
		}
		for i := len(msgs) - 1; i >= 0; i-- {
			if msgs[i].Role == "user" {
				return openaitest.Text("Answer to " + msgs[i].Content)
			}
		}
		t.Errorf("no question in %+v", msgs)
		return openaitest.BadRequest("no question")
	}))
	var questions, want strings.Builder
	for i := range 15 {
		fmt.Fprintf(&questions, "Question %d?\n", i)
		fmt.Fprintf(&want, "Answer to Question %d?\n", i)
	}
	vars := map[string]string{"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": s.URL()}
	code, stdout, stderr := runWith(t, nil, vars, questions.String(), s.HTTPClient())
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if stdout != want.String() {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want.String())
	}
	if sched.Injected() < len(faulty.Kinds) {
		t.Fatalf("only %s", sched.String())
	}
	line := fmt.Sprintf("agent: reliability: %d retries (openai:gpt-4o-mini %[1]d), 0 fallbacks\n", sched.Injected())
	if !strings.HasSuffix(stderr, line) {
		t.Errorf("stderr does not end with %q; the server: %s\n%s", line, sched.String(), stderr)
	}
}

// A model the OpenAI-compatible server does not have is looked up once
// and said in one line with the fix; the program exits with status 2
// without asking a question.
func TestRunMissingOpenAIModel(t *testing.T) {
	s := openaitest.New(t, openaitest.WithAPIKey("sk-test"), openaitest.WithModels("gpt-4o"))
	vars := map[string]string{"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": s.URL()}
	code, stdout, stderr := runWith(t, nil, vars, "Is shipping free?\nAnd express?\n", s.HTTPClient())
	want := `agent: the server at ` + s.URL() + ` has no model "gpt-4o-mini" (choose one it has with -model)` + "\n"
	if code != 2 || stdout != "" || stderr != want {
		t.Errorf("exit %d, stdout %q, stderr %q, want %q", code, stdout, stderr, want)
	}
	if reqs := s.Requests(); len(reqs) != 1 || reqs[0].Path != "/v1/models/gpt-4o-mini" {
		t.Errorf("requests %+v", reqs)
	}
}

// Likewise on Ollama, whose ping finds the model missing.
func TestRunMissingOllamaModel(t *testing.T) {
	s := ollamatest.New(t, ollamatest.WithModels("qwen3"))
	vars := map[string]string{"OLLAMA_HOST": s.URL().String()}
	code, stdout, stderr := runWith(t, []string{"Is shipping free?"}, vars, "", s.HTTPClient())
	want := `agent: the server at ` + s.URL().String() + ` has no model "llama3.2" (ollama pull llama3.2, or choose one it has with -model)` + "\n"
	if code != 2 || stdout != "" || stderr != want {
		t.Errorf("exit %d, stdout %q, stderr %q, want %q", code, stdout, stderr, want)
	}
	for _, r := range s.Requests() {
		if r.Chat != nil {
			t.Errorf("a chat request was sent: %+v", r.Chat)
		}
	}
}

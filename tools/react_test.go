package tools_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/llmtest"
	"github.com/chorus-go/chorus/tools"
)

func TestParseReAct(t *testing.T) {
	const calc = "Thought: I need to compute.\nAction: calculator\nAction Input: {\"expression\": \"2*(3+4)\"}"
	action := func(name, input string) tools.ReActStep {
		return tools.ReActStep{Action: name, ActionInput: input}
	}
	final := func(answer string) tools.ReActStep { return tools.ReActStep{Final: true, FinalAnswer: answer} }
	for _, tc := range []struct {
		name, text string
		want       tools.ReActStep // Thought and Text are checked apart
		err        string
	}{
		{"action", calc, action("calculator", `{"expression": "2*(3+4)"}`), ""},
		{"final", "Thought: I know it.\nFinal Answer: 14", final("14"), ""},
		{"multi-line final", "Final Answer: line one\nline two\n", final("line one\nline two"), ""},
		{"plain text", "  The answer is 14.  ", final("The answer is 14."), ""},
		{"crlf", "Thought: x\r\nAction: calculator\r\nAction Input: {\"a\":1}\r\n", action("calculator", `{"a":1}`), ""},
		{"lower case, underscores", "thought: x\naction: calculator\naction_input: {}", action("calculator", "{}"), ""},
		{"no space", "ActionInput: {}\n", tools.ReActStep{}, "an Action Input but no Action"},
		{"bold labels", "**Thought:** x\n**Action:** calculator\n**Action Input:** {\"a\":1}", action("calculator", `{"a":1}`), ""},
		{"bold label, colon after", "**Action**: calculator\n**Action Input**: {\"a\":1}", action("calculator", `{"a":1}`), ""},
		{"bullets and headings", "- Thought: x\n### Action: calculator\n* Action Input: {}", action("calculator", "{}"), ""},
		{"numbered", "Thought 1: x\nAction 1: calculator\nAction Input 1: {\"a\":1}", action("calculator", `{"a":1}`), ""},
		{"full-width colon", "Thought：想一想\nAction：calculator\nAction Input：{\"a\":1}", action("calculator", `{"a":1}`), ""},
		{"preamble", "Sure, let me help.\nAction: calculator\nAction Input: {}", action("calculator", "{}"), ""},
		{"fenced input", "Action: calculator\nAction Input:\n```json\n{\n  \"a\": 1\n}\n```\nThat should do.", action("calculator", "{\n  \"a\": 1\n}"), ""},
		{"fence without info", "Action: calculator\nAction Input: ```{\"a\":1}```", action("calculator", `{"a":1}`), ""},
		{"inline code", "Action: calculator\nAction Input: `{\"a\":1}`", action("calculator", `{"a":1}`), ""},
		{"input then prose", "Action: calculator\nAction Input: {\"a\":\"}{\"} and more text", action("calculator", `{"a":"}{"}`), ""},
		{"input on the action line", `Action: calculator {"a":1}`, action("calculator", `{"a":1}`), ""},
		{"call syntax", `Action: calculator({"a":1})`, action("calculator", `{"a":1}`), ""},
		{"input on the next line", "Action: calculator\n{\"a\":1}", action("calculator", `{"a":1}`), ""},
		{"quoted name", "Action: `calculator`\nAction Input: {}", action("calculator", "{}"), ""},
		{"bracketed name", "Action: [calculator]\nAction Input: {}", action("calculator", "{}"), ""},
		{"no input", "Action: clock", action("clock", "{}"), ""},
		{"not JSON input", "Action: calculator\nAction Input: 2+2", action("calculator", "2+2"), ""},
		{"unclosed JSON", "Action: calculator\nAction Input: {\"a\":", action("calculator", `{"a":`), ""},
		{"made-up observation", calc + "\nObservation: 14\nThought: done\nFinal Answer: 14", action("calculator", `{"expression": "2*(3+4)"}`), ""},
		{"action before final", "Action: calculator\nAction Input: {}\nFinal Answer: 3", action("calculator", "{}"), ""},
		{"final before action", "Final Answer: 3\nAction: calculator", final("3"), ""},
		{"two actions", "Action: a\nAction Input: {}\nAction: b\nAction Input: {}", action("a", "{}"), ""},
		{"actionable is not a label", "Actionable: yes\nFinal Answer: ok", final("ok"), ""},
		{"empty", " \n ", tools.ReActStep{}, "it is empty"},
		{"only a thought", "Thought: hmm", tools.ReActStep{}, "neither an Action nor a Final Answer"},
		{"empty final", "Thought: x\nFinal Answer:  ", tools.ReActStep{}, "Final Answer is empty"},
		{"nameless action", "Action: \nAction Input: {}", tools.ReActStep{}, "names no tool"},
		{"observation only", "Observation: 3", tools.ReActStep{}, "it is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tools.ParseReAct(tc.text)
			if tc.err != "" {
				if !errors.Is(err, tools.ErrReActFormat) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(tc.text, got.Text) {
				t.Errorf("Text %q is not a prefix of the reply", got.Text)
			}
			got.Thought, got.Text = "", ""
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	step, _ := tools.ParseReAct(calc + "\nObservation: 14\nmore")
	if step.Thought != "I need to compute." || step.Text != calc+"\n" {
		t.Errorf("Thought %q, Text %q", step.Thought, step.Text)
	}
}

// FuzzParseReAct checks that no reply makes the parser panic or break its
// promises. The seed corpus is here, not in testdata.
func FuzzParseReAct(f *testing.F) {
	for _, s := range []string{
		"Thought: x\nAction: calculator\nAction Input: {\"expression\": \"1+1\"}",
		"Final Answer: 42",
		"**Action**: a\n**Action Input**: ```json\n{\"a\":[1,{\"b\":\"}\"}]}\n```",
		"Action: a({\"x\":1})\nObservation: 1\nFinal Answer: 1",
		"Thought：x\nAction 2：b\n`{}`",
		"plain answer",
		"Action Input: {}",
		"Action:\n",
		"Final answer:\r\n\r\n",
		"{\"\\\"",
		"```",
		"Action: x\nAction Input: [[[[",
		"\xff\xfeAction: \xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		step, err := tools.ParseReAct(text)
		if err != nil {
			if !errors.Is(err, tools.ErrReActFormat) {
				t.Fatalf("error %v does not match ErrReActFormat", err)
			}
			return
		}
		if !strings.HasPrefix(text, step.Text) {
			t.Fatalf("Text %q is not a prefix of %q", step.Text, text)
		}
		switch {
		case step.Final:
			if step.Action != "" || step.FinalAnswer == "" || strings.TrimSpace(step.FinalAnswer) != step.FinalAnswer {
				t.Fatalf("final step %+v", step)
			}
		default:
			if step.Action == "" || step.ActionInput == "" || strings.ContainsFunc(step.Action, func(r rune) bool {
				return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-')
			}) {
				t.Fatalf("action step %+v", step)
			}
		}
		if utf8.ValidString(text) && !utf8.ValidString(step.ActionInput+step.FinalAnswer+step.Thought) {
			t.Fatalf("valid UTF-8 in, invalid out: %+v", step)
		}
	})
}

func TestReActAgent(t *testing.T) {
	model := llmtest.NewModel("llama",
		llmtest.Text("I should add.\nAction: add"),                                                             // no input: {} fails validation
		llmtest.Text("Thought: with numbers\nAction: add\nAction Input: {\"a\": 2, \"b\": 3}\nObservation: 6"), // made-up observation
		llmtest.Text("Thought: hmm"),                                                                           // neither action nor answer
		llmtest.Text("Thought: I know it.\nFinal Answer: 5"),
	)
	a := tools.MustAgent(model, tools.MustToolset(addTool()), tools.WithReAct(), tools.WithSystem("You are terse."),
		tools.WithOptions(llm.Options{Stop: []string{"END"}}))
	events, err := collect(a.Events(testContext(t), "2+3?"))
	if err != nil {
		t.Fatal(err)
	}
	last := events[len(events)-1]
	if last.Kind != tools.EventAnswer || last.Text != "5" || last.Answer.Steps != 4 || last.Answer.ToolCalls != 2 {
		t.Fatalf("last event %+v", last)
	}
	if got, want := kinds(events), "text tool_call tool_result text tool_call tool_result text answer"; got != want {
		t.Errorf("events %s, want %s", got, want)
	}
	reqs := model.Requests()
	sys := reqs[0].Messages[0].Text()
	for _, want := range []string{"You are terse.", "- add: Adds two numbers.", `"required":["a","b"]`, "Action: the tool's name, one of [add]", "Final Answer:"} {
		if !strings.Contains(sys, want) {
			t.Errorf("the system prompt lacks %q:\n%s", want, sys)
		}
	}
	for i, r := range reqs {
		if r.Tools != nil || !slices.Equal(r.Stop, []string{"END", "\nObservation:"}) {
			t.Errorf("request %d: tools %v, stop %q", i, r.Tools, r.Stop)
		}
	}
	var got []string
	for _, m := range reqs[3].Messages[1:] {
		got = append(got, string(m.Role)+": "+m.Text())
	}
	want := []string{
		"user: 2+3?",
		"assistant: I should add.\nAction: add",
		"user: Observation: error: invalid arguments: the JSON does not match the schema:\n- at '': missing properties 'a', 'b'",
		"assistant: Thought: with numbers\nAction: add\nAction Input: {\"a\": 2, \"b\": 3}\n",
		"user: Observation: 5",
		"assistant: Thought: hmm",
		"user: Observation: error: the reply does not follow the ReAct format: it has neither an Action nor a Final Answer. " +
			"To use a tool, reply with Thought, Action and Action Input lines, then stop; to answer, reply with Thought and Final Answer lines.",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the last request (-want +got):\n%s", diff)
	}
}

package llm_test

import (
	"strings"
	"testing"

	"github.com/chorus-go/chorus/llm"
)

func TestApproxTokens(t *testing.T) {
	c := llm.ApproxTokens()
	cases := map[string]int{
		"":                     0,
		"hello world":          2,
		"internationalization": 4,
		"2024-05-01":           2 + 1 + 1 + 1 + 1,
		"模型组合":                 4,
		"Hi, there!":           4,
		"  \n\t ":              0,
		"café":                 1,
	}
	for text, want := range cases {
		if got := c.CountTokens(text); got != want {
			t.Errorf("%q: %d tokens, want %d", text, got, want)
		}
	}
}

func TestCountMessage(t *testing.T) {
	call := llm.ToolCall{ID: "1", Name: "wx", Arguments: []byte(`{"c":"é"}`)}
	for _, tc := range []struct {
		m           llm.Message
		chars, toks int
	}{
		{llm.User(""), 0, llm.MessageOverheadTokens},
		{llm.User("abcd"), 4, 1 + llm.MessageOverheadTokens},
		{llm.User("abcdef"), 6, 2 + llm.MessageOverheadTokens},
		{llm.User("héllo wörld"), 11, 2 + llm.MessageOverheadTokens},
		{llm.User("look", llm.Image{MIMEType: "image/png", Data: []byte{1}}), 4, 1 + llm.MessageOverheadTokens + llm.ImageTokens},
		// "wx" is a word; {"c":"é"} is seven symbols and two words.
		{llm.Message{Role: llm.RoleAssistant, ToolCalls: []llm.ToolCall{call}}, 11, 1 + 9 + llm.MessageOverheadTokens},
		{llm.ToolResult(call, "sunny"), 7, 2 + llm.MessageOverheadTokens},
		{llm.User(strings.Repeat("x", 400)), 400, 80 + llm.MessageOverheadTokens},
	} {
		if got := llm.CountMessage(llm.CharCounter(), tc.m); got != tc.chars {
			t.Errorf("CharCounter(%q) = %d, want %d", tc.m.Text(), got, tc.chars)
		}
		if got := llm.CountMessage(llm.ApproxTokens(), tc.m); got != tc.toks {
			t.Errorf("ApproxTokens(%q) = %d, want %d", tc.m.Text(), got, tc.toks)
		}
	}
	words := llm.TokenCounterFunc(func(s string) int { return len(strings.Fields(s)) })
	if got := llm.CountMessage(words, llm.User("one two three")); got != 3 {
		t.Errorf("TokenCounterFunc = %d, want 3", got)
	}
}

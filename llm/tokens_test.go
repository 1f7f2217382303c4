package llm_test

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"

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

// referenceApprox is ApproxTokens' rule written plainly, word by word: the
// state machine in tokens.go must count the same on any text.
func referenceApprox(text string) int {
	n, letters, digits := 0, 0, 0
	flush := func() {
		n += (letters+4)/5 + (digits+2)/3
		letters, digits = 0, 0
	}
	for _, r := range text {
		switch {
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul):
			flush()
			n++
		case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r):
			if digits > 0 {
				flush()
			}
			letters++
		case unicode.IsDigit(r):
			if letters > 0 {
				flush()
			}
			digits++
		case unicode.IsSpace(r):
			flush()
		default:
			flush()
			n++
		}
	}
	flush()
	return n
}

func TestApproxTokensMatchesItsRule(t *testing.T) {
	alphabet := []rune("abcdeXYZ0123 \t\n.,;-_éüßñ漢字かなカナ한글١٢\u0301\u00a0\x00\uFFFD")
	rng := rand.New(rand.NewPCG(1, 2))
	c := llm.ApproxTokens()
	for i := range 5000 {
		var b strings.Builder
		for range rng.IntN(40) {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		text := b.String()
		if i%7 == 0 {
			text += "\xff\xfe" // invalid UTF-8 counts as a symbol per byte
		}
		if got, want := c.CountTokens(text), referenceApprox(text); got != want {
			t.Fatalf("CountTokens(%q) = %d, the rule gives %d", text, got, want)
		}
	}
}

func BenchmarkApproxTokens(b *testing.B) {
	text := strings.Repeat("The invoice INV-2041 is due on 2026-03-14; total 1,234.50 EUR. ", 16)
	c := llm.ApproxTokens()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		_ = c.CountTokens(text)
	}
}

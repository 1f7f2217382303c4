package llm

import (
	"unicode"
	"unicode/utf8"
)

// TokenCounter measures text in a model's tokens, in characters, or in any
// other unit a budget is written in. It is the one measure of size in
// Chorus: retrieval's splitters cut documents with it and memory's Bounded
// and Summary keep conversations within budgets with it. It must be safe
// for concurrent use.
type TokenCounter interface {
	CountTokens(text string) int
}

// TokenCounterFunc adapts a function to a TokenCounter, so a real
// tokenizer plugs in as llm.TokenCounterFunc(tok.Count).
type TokenCounterFunc func(text string) int

// CountTokens returns f(text).
func (f TokenCounterFunc) CountTokens(text string) int { return f(text) }

// MessageCounter is implemented by a TokenCounter that measures whole
// messages its own way, for example adding what a chat template costs per
// message. CountMessage uses it when the counter has it.
type MessageCounter interface {
	CountMessage(m Message) int
}

// Estimates ApproxTokens adds to the text of a message.
const (
	// MessageOverheadTokens is what ApproxTokens counts for each message
	// on top of its text: the role and separators of the chat template.
	MessageOverheadTokens = 4
	// ImageTokens is what ApproxTokens counts for an image: OpenAI's cost
	// of a low-detail image. High-detail images cost more.
	ImageTokens = 85
)

// CountMessage measures m with c: with c's own CountMessage when c is a
// MessageCounter, else as the sum of c's counts of the message's name,
// the text of its parts and its tool calls' names and arguments (images
// count nothing).
func CountMessage(c TokenCounter, m Message) int {
	if mc, ok := c.(MessageCounter); ok {
		return mc.CountMessage(m)
	}
	return countTexts(c, m)
}

func countTexts(c TokenCounter, m Message) int {
	n := 0
	if m.Name != "" {
		n += c.CountTokens(m.Name)
	}
	for _, p := range m.Parts {
		if p.Text != "" {
			n += c.CountTokens(p.Text)
		}
	}
	for _, call := range m.ToolCalls {
		n += c.CountTokens(call.Name) + c.CountTokens(string(call.Arguments))
	}
	return n
}

// CharCounter counts characters (Unicode code points).
func CharCounter() TokenCounter { return charCounter{} }

type charCounter struct{}

func (charCounter) CountTokens(text string) int { return utf8.RuneCountInString(text) }

// ApproxTokens approximates the token count of a byte-pair or word-piece
// tokenizer such as those of GPT or BERT without their vocabularies: a
// word of letters counts one token per started five letters, a run of
// digits one per started three digits, every other visible symbol one, and
// every Han, kana or Hangul character one. On English prose it lands
// within about 15% of real tokenizers. It is also a MessageCounter: a
// message costs the tokens of its texts plus MessageOverheadTokens, plus
// ImageTokens per image. When exact budgets matter, wrap the model's
// tokenizer in a TokenCounterFunc.
func ApproxTokens() TokenCounter { return approxCounter{} }

type approxCounter struct{}

func (a approxCounter) CountMessage(m Message) int {
	n := countTexts(a, m) + MessageOverheadTokens
	for _, p := range m.Parts {
		if p.Image != nil {
			n += ImageTokens
		}
	}
	return n
}

func (approxCounter) CountTokens(text string) int {
	n := 0
	letters, digits := 0, 0
	flush := func() {
		if letters > 0 {
			n += (letters + 4) / 5
			letters = 0
		}
		if digits > 0 {
			n += (digits + 2) / 3
			digits = 0
		}
	}
	for _, r := range text {
		switch {
		case isCJK(r):
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

// isCJK reports whether r is written without spaces between words: Han,
// Hiragana, Katakana or Hangul.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

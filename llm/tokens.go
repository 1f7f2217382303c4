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
	var w wordCount
	for i := 0; i < len(text); {
		c := text[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(text[i:])
			i += size
			switch {
			case isCJK(r):
				w.symbol()
			case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r):
				w.letters(1)
			case unicode.IsDigit(r):
				w.digits(1)
			case unicode.IsSpace(r):
				w.flush()
			default:
				w.symbol()
			}
			continue
		}
		// ASCII, most of most texts: whole runs of letters or digits are
		// measured in tight loops, without the unicode tables.
		switch {
		case isASCIILetter(c):
			j := i + 1
			for j < len(text) && isASCIILetter(text[j]) {
				j++
			}
			w.letters(j - i)
			i = j
		case '0' <= c && c <= '9':
			j := i + 1
			for j < len(text) && '0' <= text[j] && text[j] <= '9' {
				j++
			}
			w.digits(j - i)
			i = j
		case c == ' ' || '\t' <= c && c <= '\r':
			w.flush()
			i++
		default:
			w.symbol()
			i++
		}
	}
	w.flush()
	return w.n
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// wordCount is ApproxTokens' running count: the tokens so far, and the
// letters or digits of the run being read (a word of letters and digits
// is two runs).
type wordCount struct{ n, l, d int }

func (w *wordCount) letters(k int) {
	if w.d > 0 {
		w.flush()
	}
	w.l += k
}

func (w *wordCount) digits(k int) {
	if w.l > 0 {
		w.flush()
	}
	w.d += k
}

// symbol counts one token for a character that stands alone: punctuation,
// a symbol, a Han, kana or Hangul character.
func (w *wordCount) symbol() {
	w.flush()
	w.n++
}

func (w *wordCount) flush() {
	w.n += (w.l+4)/5 + (w.d+2)/3
	w.l, w.d = 0, 0
}

// isCJK reports whether r is written without spaces between words: Han,
// Hiragana, Katakana or Hangul.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

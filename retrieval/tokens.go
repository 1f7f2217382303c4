package retrieval

import (
	"unicode"
	"unicode/utf8"
)

// TokenCounter measures text for a splitter: in characters, in a model's
// tokens, or in any other unit. It must be safe for concurrent use.
type TokenCounter interface {
	CountTokens(text string) int
}

// TokenCounterFunc adapts a function to a TokenCounter, so a real
// tokenizer plugs in as retrieval.TokenCounterFunc(tok.Count).
type TokenCounterFunc func(text string) int

// CountTokens calls f.
func (f TokenCounterFunc) CountTokens(text string) int { return f(text) }

// CharCounter counts characters (Unicode code points). It is the default
// unit of the splitters.
func CharCounter() TokenCounter { return charCounter{} }

type charCounter struct{}

func (charCounter) CountTokens(text string) int { return utf8.RuneCountInString(text) }

// ApproxTokenCounter approximates the token count of a byte-pair or
// word-piece tokenizer such as those of GPT or BERT without their
// vocabularies: a word of letters counts one token per started five
// letters, a run of digits one per started three digits, every other
// visible symbol one, and every Han, kana or Hangul character one. On
// English prose it lands within about 15% of real tokenizers; when exact
// budgets matter, wrap the model's tokenizer in a TokenCounterFunc.
func ApproxTokenCounter() TokenCounter { return approxCounter{} }

type approxCounter struct{}

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

package memory

import (
	"unicode/utf8"

	"github.com/chorus-go/chorus/llm"
)

// Counter measures the size of a message, in whatever unit a budget is
// written in: tokens of a model's tokenizer, or characters. Bounded and
// Summary use it. It must be safe for concurrent use.
type Counter interface {
	Count(m llm.Message) int
}

// CounterFunc adapts a function to a Counter, for example a real
// tokenizer's length function.
type CounterFunc func(m llm.Message) int

// Count returns f(m).
func (f CounterFunc) Count(m llm.Message) int { return f(m) }

// Characters is a Counter of characters (runes): a message's text, its
// tool calls' names and arguments and its tool name. Images count nothing.
type Characters struct{}

// Count returns the number of characters in m.
func (Characters) Count(m llm.Message) int { return characters(m) }

func characters(m llm.Message) int {
	n := utf8.RuneCountInString(m.Name)
	for _, p := range m.Parts {
		n += utf8.RuneCountInString(p.Text)
	}
	for _, c := range m.ToolCalls {
		n += utf8.RuneCountInString(c.Name) + utf8.RuneCount(c.Arguments)
	}
	return n
}

// Estimates used by ApproxTokens.
const (
	// CharsPerToken is the characters per token ApproxTokens assumes: about
	// right for English text and the BPE tokenizers of current models.
	CharsPerToken = 4
	// MessageTokens is the overhead ApproxTokens adds for each message
	// (role and separators in the chat template).
	MessageTokens = 4
	// ImageTokens is what ApproxTokens counts for an image: OpenAI's cost
	// of a low-detail image. High-detail images cost more.
	ImageTokens = 85
)

// ApproxTokens is a Counter that estimates tokens without a tokenizer: the
// Characters count divided by CharsPerToken (rounded up), plus
// MessageTokens per message and ImageTokens per image. It is the default
// Counter. For exact budgets, wrap the model's tokenizer in a CounterFunc.
type ApproxTokens struct{}

// Count returns the estimated number of tokens of m.
func (ApproxTokens) Count(m llm.Message) int {
	n := (characters(m)+CharsPerToken-1)/CharsPerToken + MessageTokens
	for _, p := range m.Parts {
		if p.Image != nil {
			n += ImageTokens
		}
	}
	return n
}

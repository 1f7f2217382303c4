package memory

import (
	"errors"
	"fmt"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// Option configures a memory policy: NewWindow, NewBounded or NewSummary.
// Each option says which policies use it; the others ignore it. An invalid
// value makes the constructor fail with an error matching chain.ErrConfig;
// options never panic.
type Option func(*config)

type config struct {
	counter llm.TokenCounter
	prune   bool
	keep    int
	prompt  string
	errs    []error
}

func (c *config) fail(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf(format, args...))
}

// CountWith sets the llm.TokenCounter that measures messages (with
// llm.CountMessage) against the budget of NewBounded and NewSummary: the
// same counters retrieval's splitters use. The default is
// llm.ApproxTokens(); llm.CharCounter() counts characters, and a model's
// tokenizer plugs in as an llm.TokenCounterFunc. A nil counter makes the
// constructor fail.
func CountWith(c llm.TokenCounter) Option {
	return func(cfg *config) {
		if c == nil {
			cfg.fail("CountWith: nil counter")
			return
		}
		cfg.counter = c
	}
}

// Prune makes NewWindow and NewBounded delete from the store the messages
// that fell out of the window, so a long conversation does not grow the
// store forever. Without it the store keeps the full transcript and only
// what is sent is limited. NewSummary always shortens the stored history.
func Prune() Option { return func(cfg *config) { cfg.prune = true } }

// KeepRecent sets how much of the newest history NewSummary keeps word for
// word when it summarises, in the counter's unit; the older turns are
// folded into the summary. The default is half the budget. n must be at
// least 1.
func KeepRecent(n int) Option {
	return func(cfg *config) {
		if n < 1 {
			cfg.fail("KeepRecent: %d < 1", n)
			return
		}
		cfg.keep = n
	}
}

// SummaryPrompt replaces the instructions NewSummary gives its model
// (DefaultSummaryPrompt). The conversation to summarise follows them in a
// user message. An empty prompt makes NewSummary fail.
func SummaryPrompt(prompt string) Option {
	return func(cfg *config) {
		if prompt == "" {
			cfg.fail("SummaryPrompt: empty prompt")
			return
		}
		cfg.prompt = prompt
	}
}

// newConfig applies the options; an invalid one is an error of fn.
func newConfig(fn string, opts []Option) (config, error) {
	cfg := config{counter: llm.ApproxTokens(), prompt: DefaultSummaryPrompt}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if len(cfg.errs) > 0 {
		return cfg, configError(fn, "%v", errors.Join(cfg.errs...))
	}
	return cfg, nil
}

// configError is a constructor's error on an invalid argument or option:
// it matches chain.ErrConfig, as the chain package's do.
func configError(fn, format string, args ...any) error {
	return fmt.Errorf("memory.%s: %w: %s", fn, chain.ErrConfig, fmt.Sprintf(format, args...))
}

// must returns v, or panics with err: the MustX forms of the constructors.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

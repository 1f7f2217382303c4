package memory

import (
	"fmt"

	"github.com/chorus-go/chorus/chain"
)

// Option configures a memory policy: NewWindow, NewBounded or NewSummary.
// Each option says which policies use it; the others ignore it.
type Option func(*config)

type config struct {
	counter Counter
	prune   bool
	keep    int
	prompt  string
}

// CountWith sets the Counter that measures messages against the budget of
// NewBounded and NewSummary. The default is ApproxTokens{}.
func CountWith(c Counter) Option {
	if c == nil {
		panic(configError("CountWith", "nil counter"))
	}
	return func(cfg *config) { cfg.counter = c }
}

// Prune makes NewWindow and NewBounded delete from the store the messages
// that fell out of the window, so a long conversation does not grow the
// store forever. Without it the store keeps the full transcript and only
// what is sent is limited. NewSummary always shortens the stored history.
func Prune() Option { return func(cfg *config) { cfg.prune = true } }

// KeepRecent sets how much of the newest history NewSummary keeps word for
// word when it summarises, in the Counter's unit; the older turns are
// folded into the summary. The default is half the budget.
func KeepRecent(n int) Option {
	if n < 1 {
		panic(configError("KeepRecent", "%d < 1", n))
	}
	return func(cfg *config) { cfg.keep = n }
}

// SummaryPrompt replaces the instructions NewSummary gives its model
// (DefaultSummaryPrompt). The conversation to summarise follows them in a
// user message.
func SummaryPrompt(prompt string) Option {
	if prompt == "" {
		panic(configError("SummaryPrompt", "empty prompt"))
	}
	return func(cfg *config) { cfg.prompt = prompt }
}

func newConfig(opts []Option) config {
	cfg := config{counter: ApproxTokens{}, prompt: DefaultSummaryPrompt}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	return cfg
}

// configError is what constructors panic with on a programmer error: it
// matches chain.ErrConfig, as the chain package's constructors do.
func configError(fn, format string, args ...any) error {
	return fmt.Errorf("memory.%s: %w: %s", fn, chain.ErrConfig, fmt.Sprintf(format, args...))
}

func checkStore(fn string, s Store) {
	if s == nil {
		panic(configError(fn, "nil store"))
	}
}

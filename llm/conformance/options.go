package conformance

import "time"

// Option adjusts the checks.
type Option func(*config)

type config struct {
	concurrency  int
	cancelWithin time.Duration
	noStructured bool
}

func newConfig(opts []Option) config {
	c := config{concurrency: 8, cancelWithin: 2 * time.Second}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// Concurrency sets how many goroutines the concurrency checks run at once
// (default 8). n < 2 is taken as 2.
func Concurrency(n int) Option {
	return func(c *config) { c.concurrency = max(n, 2) }
}

// CancelWithin sets how soon after its context is cancelled a call must
// return (default 2s: generous, so that a loaded CI machine under -race
// passes; a conforming adapter returns within milliseconds). d <= 0 is
// ignored.
func CancelWithin(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.cancelWithin = d
		}
	}
}

// NoStructuredOutput declares a chat model that cannot constrain its
// answer to a JSON schema. TestChatModel then checks that a request with a
// json_schema llm.Format is refused before anything is sent, with an error
// matching llm.ErrInvalidRequest that says so, instead of checking that
// the schema is honoured.
func NoStructuredOutput() Option {
	return func(c *config) { c.noStructured = true }
}

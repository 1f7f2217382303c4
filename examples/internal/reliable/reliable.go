// Package reliable is what the examples share to make the models they
// configure reliable: the guard (llm/guard) every chat model and embedder
// is wrapped in, a hook that counts the retries and fallbacks of a run,
// and a check that a configured model exists on its server.
//
// An example builds its adapters with their own retries off
// (openai.WithMaxRetries(0), ollama.WithMaxRetries(0), see AdapterRetries)
// and wraps each in Settings.Chat or Settings.Embedder, so that one layer
// retries, with the guard's breaker and its events.
package reliable

import (
	"time"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/guard"
)

// AdapterRetries is the retries the examples leave to the adapters
// themselves: none, as the guard retries.
const AdapterRetries = 0

// Defaults of Settings.
const (
	DefaultAttempts         = 4
	DefaultTimeout          = 2 * time.Minute
	DefaultBreakerThreshold = 5
)

// Settings are the guard's layers the examples put around every model
// and embedder. The zero value is the defaults: 4 attempts at a call that
// fails retryably (429, 5xx, dropped connections, garbled bodies,
// timeouts), waiting between them with
// the guard's backoff and its cap on a server's Retry-After, a 2-minute
// timeout per attempt, and a breaker that opens after 5 calls in a row
// failed by the server's faults, for the guard's cooldown.
type Settings struct {
	// Attempts is how many times in all a call is tried while it fails
	// retryably (default 4, as guard.WithRetry(4); 1: no retries).
	Attempts int
	// Backoff and MaxBackoff bound the wait between retries (default
	// guard.DefaultBackoff and guard.DefaultMaxBackoff). Tests shorten
	// them.
	Backoff, MaxBackoff time.Duration
	// MaxRetryAfter caps how long a server's Retry-After makes a call wait
	// (default guard.DefaultMaxRetryAfter).
	MaxRetryAfter time.Duration
	// Timeout bounds each attempt (default 2 minutes).
	Timeout time.Duration
	// BreakerThreshold is how many calls in a row must fail by the
	// server's fault to open the breaker (default 5), and Cooldown how
	// long it stays open (default guard.DefaultCooldown).
	BreakerThreshold int
	Cooldown         time.Duration
}

func (s Settings) withDefaults() Settings {
	if s.Attempts < 1 {
		s.Attempts = DefaultAttempts
	}
	if s.Backoff <= 0 {
		s.Backoff = guard.DefaultBackoff
	}
	if s.MaxBackoff <= 0 {
		s.MaxBackoff = guard.DefaultMaxBackoff
	}
	s.MaxBackoff = max(s.MaxBackoff, s.Backoff)
	if s.MaxRetryAfter <= 0 {
		s.MaxRetryAfter = guard.DefaultMaxRetryAfter
	}
	if s.Timeout <= 0 {
		s.Timeout = DefaultTimeout
	}
	if s.BreakerThreshold <= 0 {
		s.BreakerThreshold = DefaultBreakerThreshold
	}
	if s.Cooldown <= 0 {
		s.Cooldown = guard.DefaultCooldown
	}
	return s
}

// Options returns the guard's options for the settings, followed by
// extra (a Name, a Fallback...).
func (s Settings) Options(extra ...guard.Option) []guard.Option {
	s = s.withDefaults()
	opts := []guard.Option{
		guard.WithTimeout(s.Timeout),
		guard.WithBreaker(s.BreakerThreshold, s.Cooldown),
	}
	if s.Attempts > 1 {
		opts = append(opts,
			guard.WithRetry(s.Attempts),
			guard.WithBackoff(s.Backoff, s.MaxBackoff),
			guard.WithMaxRetryAfter(s.MaxRetryAfter),
		)
	}
	return append(opts, extra...)
}

// Chat guards a chat model with the settings' layers.
func (s Settings) Chat(m llm.ChatModel, extra ...guard.Option) (*guard.Model, error) {
	return guard.New(m, s.Options(extra...)...)
}

// Embedder guards an embedder with the settings' layers.
func (s Settings) Embedder(e llm.Embedder, extra ...guard.Option) (llm.Embedder, error) {
	return guard.NewEmbedder(e, s.Options(extra...)...)
}

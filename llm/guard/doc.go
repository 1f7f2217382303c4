// Package guard is model middleware: it wraps a chat model, an embedder or
// an OCR engine in layers of protection and returns the same contract, so
// everything that takes a model (tools.Agent, retrieval.RAG, memory.Chat,
// the typed adapters) gets it.
//
//	gpt, err := guard.New(openai.MustNew("gpt-4o-mini", openai.WithMaxRetries(0)), // the guard retries
//		guard.WithName("gpt"),
//		guard.WithRetry(3),                   // 429, 5xx, dropped connections; Retry-After capped at 1m
//		guard.WithTimeout(60*time.Second),    // per attempt
//		guard.WithBreaker(5, 30*time.Second), // trips on the server's faults, not on bad requests
//		guard.WithRateLimit(500, 200_000),    // requests and tokens per minute
//		guard.WithMaxConcurrent(8),
//		guard.WithCache(1000),
//		guard.WithFallback(ollama.MustNew("llama3.2")),
//	)
//	answer, err := llm.Chat(ctx, gpt, req) // gpt is an llm.ChatModel and llm.Streamer
//
// (Example runs it against a flaky stand-in model.)
//
// # Layers
//
// Every layer is off unless its option is given. A call goes through them
// in this order, outermost first:
//
//	cache → fallback [ breaker → retry → rate limit → concurrency cap → timeout → model ]
//
// The cache is outermost, so an answer from memory costs no slot, no
// token and no request. WithFallback is around each model's whole stack: each
// fallback model has layers of its own (its own breaker, its own limits),
// and is tried when the model before it failed after its retries. The
// breaker is outside the retries: it counts calls that failed even after
// retrying (a blip that a retry absorbs does not trip it), and when open
// it refuses at once, without retrying. Rate limit, concurrency cap and
// timeout are inside the retries, because each attempt is a request of
// its own: it takes a rate-limit slot and its tokens, holds a concurrency
// slot only while it runs (not while it waits to retry) and has its own
// timeout.
//
// # Retry
//
// WithRetry retries failures that Retryable reports (a provider's *llm.Error
// marked Temporary — 429, 5xx, dropped connections —, a
// *chain.TimeoutError, an unreadable body) with exponential backoff and
// full jitter. A server's Retry-After is honoured, capped by WithMaxRetryAfter
// (so a server cannot make a caller sleep for hours), and a wait that
// would end past the caller's deadline is not started: the call fails at
// once with a *WaitError carrying the server's wait (ErrPastDeadline).
// A stream is retried only while no chunk has reached the caller; after
// that an error ends the stream, and no text is sent twice.
//
// The first-party adapters (llm/openai, llm/ollama, llm/oip) retry twice
// on their own by default. Under a guard with WithRetry, turn theirs off
// (WithMaxRetries(0)) so that one layer decides, with the guard's rate
// limit, breaker and events; left on, the attempts multiply.
//
// # Rate limits
//
// WithRateLimit holds requests and tokens per minute with token buckets that
// callers reserve in the order they come. Tokens are estimated before a
// call (WithTokenCounter over the messages, plus MaxTokens) and corrected
// with the usage the model reports. A call waits for its slot, but a slot
// past the caller's deadline fails it at once with a *RateLimitError
// (ErrRateLimited).
//
// # Breaker
//
// WithBreaker is a chain.CircuitBreaker that trips only on the faults of the
// model's server (IsFault: retryable errors, timeouts, 5xx, 429), never
// on the caller's invalid request or cancellation. Check reports whether
// a call would be let through; chain/serve's readiness endpoint finds it
// in the inference graph, where a guarded model draws as a node of kind
// "guard" listing its layers, with the model (and its fallbacks) inside.
//
// # Cache
//
// WithCache answers a request asked before from memory: bounded, least
// recently used first out, keyed on the whole request (every message with
// its images, the tools, the tool choice, the format and the options).
// Streams bypass it: they neither read nor fill it, as a replay would not
// be the model's stream.
//
// # Events
//
// The layers run inside a node named after the model ("openai:gpt-4o-mini")
// or the name given by WithName, so hooks (chain.WithHooks) see its start and end and
// its events on that path: chain.EventRetry, chain.EventBreaker,
// chain.EventFallback, and this package's EventRateLimit and
// EventCacheHit. Errors of a model named by WithName start with that name.
//
// Clocks: WithClock sets the clock backoff, rate limits and the breaker's
// cooldown read (chain/chaintest has fake ones for tests).
package guard

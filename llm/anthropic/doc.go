// Package anthropic adapts Anthropic's chat models (Claude) to Chorus's
// model contracts, on Anthropic's official Go SDK
// (github.com/anthropics/anthropic-sdk-go/v2) and its Messages API.
//
//	model, err := anthropic.New("claude-sonnet-4-5") // the key from ANTHROPIC_API_KEY
//	if err != nil {
//		return err // errors.Is(err, chain.ErrConfig)
//	}
//	classify := llm.Prompt(model, "Classify the document: Invoice, Receipt or Letter. Answer with one word.")
//	label, err := classify.Run(ctx, "INVOICE No. 2024-117 — Total due: 1,250.00 EUR") // "Invoice"
//
// (Example runs it against a stand-in Anthropic server named by
// WithBaseURL.)
//
// New returns a *Model, an llm.ChatModel and llm.Streamer. The key comes
// from ANTHROPIC_API_KEY or WithAPIKey and is sent in the x-api-key
// header; the server is Anthropic's unless ANTHROPIC_BASE_URL or
// WithBaseURL names another (a proxy, a gateway). Options given to New
// take precedence over the environment; the SDK reads nothing of the
// environment itself. Every error of New matches chain.ErrConfig; MustNew
// panics with it instead.
//
// Requests map to the Messages API: system messages to the top-level
// system prompt; user text and images (base64 image blocks); assistant
// text and tool calls (tool_use blocks); tool results (tool_result blocks,
// those of consecutive tool messages in one user turn); tool definitions
// (their parameter schema as input_schema) and tool choice ("auto",
// "none", "required" as "any", a tool's name as {"type":"tool"}); a
// json_schema response format as output_config.format, the schema sent as
// it is (llm.Structured validates the answer against it), and a json
// format as an instruction in the system prompt, the API having no
// "any JSON object" mode. Options.MaxTokens becomes max_tokens, which the
// API requires: DefaultMaxTokens (WithMaxTokens) when the request and
// WithOptions set none; Options.Stop becomes stop_sequences. Temperature,
// TopP and Seed are left out (logged at Debug level): the Messages API of
// the SDK's version (2026-10-21) has no such parameters.
// WithPromptCaching marks the system prompt, the tools or the last message
// with cache_control {"type":"ephemeral"}.
//
// Answers map back: text blocks joined, tool_use blocks as tool calls,
// stop_reason as llm's finish reasons (end_turn and stop_sequence "stop",
// max_tokens "length", tool_use "tool_calls", refusal "content_filter"),
// and the usage: InputTokens counts all input tokens, those written to
// and read from the prompt cache included, and Usage.CacheWriteTokens and
// Usage.CacheReadTokens say how many of them were.
//
// Failures are *llm.Error values with the HTTP status, Anthropic's error
// type as Code (rate_limit_error, overloaded_error, ...), its message,
// whether a retry may help (429, 5xx and 529 overloaded yes; 400, 401,
// 403, 404 no) and the server's retry-after; errors.As also finds the
// SDK's *anthropic.Error, copied with the key scrubbed from its body,
// request and response headers. The API key never appears in errors,
// hook events or logs.
//
// Reliable by default, like llm/openai: a call that fails with a
// retryable error (408, 409, 429, 5xx, 529, a dropped connection, an
// unreadable body, a stream cut before its first chunk, a timeout) is
// retried twice (DefaultMaxRetries, WithMaxRetries; 0 turns retries off),
// with exponential backoff and jitter (WithRetryBackoff) or the server's
// retry-after when it asks for longer, capped at 60s (DefaultMaxRetryWait,
// WithMaxRetryWait). The SDK's own retries are turned off, so that waits
// obey the caller's deadline and retries are announced to hooks as
// chain.EventRetry. A stream is retried only before its first chunk
// reached the caller. Every attempt is bounded by DefaultTimeout (10
// minutes, WithTimeout; 0 turns it off).
//
// A Model describes itself to chain.Describe as "anthropic:<model>", of
// kind chain.KindModel.
package anthropic

// Package ollama adapts models served by Ollama (https://ollama.com) to the
// llm contracts: chat models with streaming, tools, images and structured
// output ([New], a [Model] implementing llm.ChatModel and llm.Streamer),
// raw completion ([Model.Generate]) and embeddings ([NewEmbedder], an
// [Embedder] implementing llm.Embedder). It is built on the official
// github.com/ollama/ollama/api client, pinned at v0.17.4.
//
//	m, err := ollama.New("llama3.2") // the server from OLLAMA_HOST, else DefaultHost
//	if err != nil {
//		return err // errors.Is(err, chain.ErrConfig)
//	}
//	resp, err := m.Chat(ctx, llm.Request{Messages: []llm.Message{
//		llm.System("Answer in one word."),
//		llm.User("What is the capital of France?"),
//	}})
//	fmt.Println(resp.Text()) // Paris.
//
// (Example runs it against an in-process Ollama server named by WithHost,
// and streams and embeds too.)
//
// # Pointing it at a server
//
// Install Ollama, pull the models and start the server:
//
//	ollama pull llama3.2
//	ollama pull nomic-embed-text
//	ollama serve
//
// New and NewEmbedder find the server as the ollama command does: in
// OLLAMA_HOST ("http://gpu-box:11434", "gpu-box:11434", "gpu-box",
// "https://ollama.example.com/prefix"), else at [DefaultHost]
// (http://127.0.0.1:11434). [WithHost] overrides OLLAMA_HOST in code. The
// adapter uses an HTTP client of its own with no overall timeout; each
// attempt of a call is bounded by [DefaultTimeout] (10 minutes, generous
// since a model can take minutes to load; [WithTimeout]), so that no call
// waits forever on a server that stopped answering (a real Ollama server
// can, after clients disconnect mid-stream). [WithHTTPClient] substitutes another client (for a
// proxy, TLS settings or authentication headers).
//
// # Mapping
//
// System, user, assistant and tool messages map to Ollama's roles; a
// message's text parts are joined into its content and its images are sent
// as raw bytes (multimodal models such as llava or llama3.2-vision). An
// assistant's tool calls are sent back with their arguments; a tool result
// carries its call ID and the tool's name (looked up from the call when the
// message has only the ID). Tools are sent with their JSON Schema decoded
// into Ollama's typed subset, which drops what it has no field for (see
// the tool parameters note below). Format text sends none, JSON sends
// "json", a JSON schema is sent as it is in "format" and enforced by the
// server. llm.Options (the request's, over [WithOptions]'s defaults) map
// to temperature, top_p, num_predict, stop and seed, over the raw model
// options of [WithModelOptions] (num_ctx, top_k, ...).
// Ollama has no tool choice: "none" sends no tools, a tool's name sends
// only that tool, "required" cannot be enforced.
//
// Answers map back to text, tool calls (arguments as a JSON object, its
// top-level keys in the model's order; an ID "call_<n>" is made up when the
// server gives none), the finish reason ("stop", "length", or "tool_calls" when the
// model calls tools) and the usage (prompt_eval_count, eval_count). A
// thinking model's reasoning is dropped ([WithThink] turns it off).
//
// Tool parameters: Ollama's api keeps, at the top of a schema, type,
// required, properties, items and $defs, and in each property type,
// description, enum, anyOf, items and nested properties. Everything else
// is lost on the way to the model: nested required lists, $ref, oneOf,
// allOf, const, format, pattern, numeric and length bounds, defaults,
// additionalProperties. [WithLogger] logs the keywords dropped. Schemas for
// structured output (Format) are sent whole.
//
// # Errors
//
// A failure is an *llm.Error with Provider "ollama", the model, the HTTP
// status and whether retrying may help, so chain.Retry and chain.Breaker act
// on it:
//
//   - a model the server does not have (404) matches llm.ErrModelNotFound
//     and says how to get it: model "llama3.2" is not installed on the
//     Ollama server at http://127.0.0.1:11434: run "ollama pull llama3.2";
//   - 429, 500, 503 (Ollama's queue is full) and every 5xx but 501 are
//     retryable, with a proxy's Retry-After; 400 is not;
//   - no answer (connection refused, reset) is retryable, with status 0;
//   - an error line inside a streamed answer (the runner failed after
//     output began) is retryable, with status 0;
//   - a success status whose body cannot be read or decoded (cut,
//     truncated or garbled by a proxy) is retryable, with that status:
//     "unreadable response body: ..." (content that is not the JSON a
//     format asked for is an answer, not an error: llm.Structured
//     repairs it);
//   - an answer that ends without the server's done (a cut connection)
//     wraps llm.ErrIncompleteStream and is retryable.
//
// An attempt that [WithTimeout]'s bound ends is a retryable *llm.Error
// matching context.DeadlineExceeded. When the context ends, calls return
// an error wrapping ctx.Err(), not an *llm.Error.
//
// Retryable failures are retried twice by default ([DefaultMaxRetries],
// [WithMaxRetries]; 0 turns retries off), waiting 0.5s then 1s (doubling up
// to 8s, less up to a quarter at random: [WithRetryBackoff]), or a
// Retry-After when it asks for longer, capped at 60s
// ([DefaultMaxRetryWait], [WithMaxRetryWait]); a wait that would pass the
// caller's deadline is not started: the call fails at once, saying the
// server's wait. A stream is retried only before its first chunk reached
// the caller. Requests that fail llm.Request.Validate are refused before
// anything is sent.
//
// # Options and constructors
//
// The options are shaped as llm/openai's: SharedOptions (the server, the
// HTTP client, keep_alive, raw model options, the logger) configure both
// New and NewEmbedder, WithOptions and WithThink only New, the embedding
// options only NewEmbedder. An invalid value makes the constructor fail
// with an error matching chain.ErrConfig, as do an empty model name and an
// unreadable host; MustNew and MustEmbedder panic with it instead.
//
// # Token usage
//
// The adapter reports token usage in each Response, in a stream's final
// chunk and from Embedder.EmbedUsage, and emits nothing itself:
// llm.Chat, llm.Stream and llm.Embed, through which Chorus calls models,
// report one chain.EventTokens per call.
package ollama

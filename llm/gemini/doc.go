// Package gemini is the Chorus adapter for Google's Gemini models on the
// Gemini API (generativelanguage.googleapis.com), built on Google's SDK
// google.golang.org/genai. A Model is an llm.ChatModel and llm.Streamer;
// an Embedder is an llm.Embedder. The SDK is compiled only by programs
// that import this package.
//
//	m, err := gemini.New("gemini-2.5-flash") // key from GOOGLE_API_KEY or GEMINI_API_KEY
//	resp, err := llm.Chat(ctx, m, llm.Request{Messages: []llm.Message{llm.User("Hello")}})
//
// What it maps:
//
//   - system messages become the system instruction; user and assistant
//     messages become "user" and "model" contents; images become inline
//     data parts;
//   - tools become function declarations (their JSON Schema as
//     parametersJsonSchema); the tool choice becomes the function calling
//     mode: "" and "auto" AUTO, "none" NONE, "required" ANY, a tool's name
//     ANY with that one allowed name; functionCall parts become
//     llm.ToolCalls (the API's call ID, or one made up, carrying the
//     call's thought signature: send the ID back unchanged), and tool
//     results become functionResponse parts (a JSON object as it is,
//     anything else as {"output": ...});
//   - a response format becomes responseMimeType application/json and,
//     for a schema, responseJsonSchema; llm.Structured validates the reply;
//   - finish reasons: STOP is "stop" ("tool_calls" with function calls),
//     MAX_TOKENS "length", others their lower-case name; usage counts
//     thinking tokens as output;
//   - a prompt blocked by the safety filters (promptFeedback.blockReason)
//     or an answer they stopped (finishReason SAFETY, RECITATION,
//     PROHIBITED_CONTENT, SPII, BLOCKLIST ...) is a *BlockedError
//     (errors.Is(err, ErrBlocked)) with the reason and the safety ratings;
//   - failures are *llm.Error values: 429 RESOURCE_EXHAUSTED and 500/503
//     are retryable, with the wait of a Retry-After header or of a
//     google.rpc.RetryInfo retryDelay; 400, 403 and 404 are not.
//
// Calls are reliable by default, like llm/openai's: retries with backoff
// (WithMaxRetries, default 2; the SDK's own retries stay off), the
// server's wait obeyed up to WithMaxRetryWait, a timeout per attempt
// (WithTimeout), streams retried only before their first chunk, each retry
// reported to hooks as a chain.EventRetry. The key is sent only in the
// x-goog-api-key header and scrubbed from every error and log.
//
// The Gemini API backend is always used (not Vertex AI), with API version
// v1beta (WithAPIVersion). WithBaseURL points the client at a proxy or a
// test server (internal/geminitest in this module's tests).
package gemini

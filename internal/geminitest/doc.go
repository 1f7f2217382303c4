// Package geminitest is an in-process HTTP server that speaks the Gemini
// API's REST wire protocol (generativelanguage.googleapis.com), for driving
// the real google.golang.org/genai client in tests.
//
// It is a test helper: import it only from _test.go files. It lives under
// internal/ so that users of chorus cannot import it.
//
// The server answers, under any API version (/v1beta/ or /v1/),
//
//	POST /{version}/models/{model}:generateContent
//	POST /{version}/models/{model}:streamGenerateContent?alt=sse
//	POST /{version}/models/{model}:embedContent
//	POST /{version}/models/{model}:batchEmbedContents
//
// with the bodies, error bodies ({"error":{"code","message","status",
// "details"}}), status codes and headers the Gemini API documents. A stream
// is server-sent events: "data: " lines, each one GenerateContentResponse,
// the last one carrying the finish reason and the usage metadata.
//
// Each [Endpoint] has a FIFO queue of scripted [Reply] values
// ([Server.Enqueue]); EndpointChat serves both generateContent and
// streamGenerateContent, EndpointEmbed both embedContent and
// batchEmbedContents. When a queue is empty the endpoint's default answers:
// [Echo] for chat, [HashEmbeddings] for embeddings. Every request is
// recorded ([Server.Requests]) so that tests can check what the client sent.
//
// Replies cover text (streamed in several chunks), function calls (with
// thought signatures), JSON, prompts blocked by safety filters
// (promptFeedback.blockReason), answers stopped by them (finishReason
// SAFETY and the like, with safety ratings), Google error bodies with any
// status and a google.rpc.RetryInfo retryDelay, raw bodies, hangs, delays,
// cut connections, stalled streams and error events inside a stream, and
// replies computed from the request ([Func]).
//
// The server is closed by t.Cleanup; handlers that are still blocked (a
// hang, a delay) return when it closes, so no goroutine outlives the test.
package geminitest

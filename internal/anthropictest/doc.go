// Package anthropictest is an in-process HTTP server that speaks Anthropic's
// Messages API wire protocol, for driving the real anthropic-sdk-go client
// (or any other Anthropic client) in tests.
//
// It is a test helper: import it only from _test.go files. It lives under
// internal/ so that users of chorus cannot import it.
//
// The server answers
//
//	POST /v1/messages   JSON, or SSE when the request has "stream": true
//
// with the bodies, status codes and headers the Messages API documents. A
// request without the anthropic-version header gets a 400; with
// [WithAPIKey], a request without the right x-api-key header gets a 401
// authentication_error. Replies are a FIFO queue of scripted [Reply] values
// (see [Server.Enqueue]); when the queue is empty the default reply
// answers ([Echo], or the one given to [Server.SetDefault]). Every request is
// recorded (see [Server.Requests]) so tests can assert what the client sent.
//
// Streamed answers use the documented event types: message_start,
// content_block_start, ping, content_block_delta (text_delta, and
// input_json_delta for tool_use blocks), content_block_stop, message_delta
// (stop_reason and usage) and message_stop; [StreamError] sends an
// `event: error` in the middle of a stream. Replies cover text, JSON, tool
// calls, stop reasons, usage with prompt-cache tokens, Anthropic's error
// bodies {"type":"error","error":{"type":...,"message":...}} with any status
// (429 with retry-after, 529 overloaded_error), non-JSON bodies, hangs,
// delays, cut connections, stalled streams and replies computed from the
// request ([Func]).
//
// The server is closed by t.Cleanup; handlers that are still blocked (a hang,
// a delay) return when the server closes, so no goroutine outlives the test.
package anthropictest

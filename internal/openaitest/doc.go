// Package openaitest is an in-process HTTP server that speaks the OpenAI REST
// wire protocol, for driving the real go-openai client (or any other OpenAI
// client) in tests.
//
// It is a test helper: import it only from _test.go files. It lives under
// internal/ so that users of chorus cannot import it.
//
// The server answers
//
//	POST /v1/chat/completions   JSON, or SSE when the request has "stream": true
//	POST /v1/embeddings         float arrays, or base64 with encoding_format "base64"
//	GET  /v1/models             and GET /v1/models/{id}
//
// with the response bodies, error bodies, status codes and headers the OpenAI
// API documents. Each endpoint has a FIFO queue of scripted [Reply] values
// (see [Server.Enqueue]); when the queue is empty the endpoint's default reply
// answers: [Echo] for chat, [HashEmbeddings] for embeddings and the configured
// model list for models. Every request is recorded (see [Server.Requests]) so
// tests can assert what the client sent.
//
// Replies cover text (streamed as several content deltas), tool calls
// (streamed like the real API: the first delta of each call carries index,
// id, type and name, later deltas only index and argument fragments), JSON
// and malformed JSON content, refusals, OpenAI error bodies with any status
// (including 429 with Retry-After), non-JSON error bodies, hangs, delays, cut
// connections, stalled streams, error events inside a stream, and replies
// computed from the request ([Func]).
//
// The server is closed by t.Cleanup; handlers that are still blocked (a hang,
// a delay) return when the server closes, so no goroutine outlives the test.
package openaitest

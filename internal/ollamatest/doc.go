// Package ollamatest runs an in-process HTTP server that speaks Ollama's REST
// API, so that code built on the real github.com/ollama/ollama/api client can
// be tested without an Ollama installation or model weights.
//
// The server encodes and decodes with the api package's own request and
// response types (v0.17.4), streams NDJSON exactly as Ollama does (one JSON
// object per line, Content-Type application/x-ndjson, the last object with
// done: true, done_reason and metrics), answers stream=false with a single
// JSON object, and reproduces Ollama's error bodies ({"error":"..."}) and
// status codes, including the per-endpoint "model not found" messages.
//
// What the model "says" is scripted: replies queued with [Server.Enqueue]
// are consumed first-in first-out by /api/chat and /api/generate, and replies
// queued with [Server.EnqueueEmbed] by /api/embed and /api/embeddings. When a
// queue is empty the default handler answers (see [WithDefault]); the built-in
// default echoes the prompt back for generation and returns deterministic
// hash-based unit vectors for embeddings.
//
// Besides plain text there are replies for tool calls ([ToolCalls]),
// structured output ([JSON], [MalformedJSON]), thinking ([Reply.WithThinking]),
// HTTP errors ([Error], [Raw]), an error line inside a 200 stream
// ([StreamError]), a stream cut without done: true ([Cut]), a stream that
// stalls ([Stall]), a request that never answers ([Hang]), latency
// ([Reply.WithDelay], [Reply.WithChunkDelay]) and replies computed from the
// request ([Func]).
//
// Every request is recorded with its raw body and the decoded api request
// struct ([Server.Requests], [Server.EmbedRequests]) so that tests can assert
// what an adapter sent: format schema, tools, images, options, keep_alive
// and the stream flag.
//
// The server is closed by t.Cleanup; hung and stalled handlers are released
// first, so no goroutine outlives the test.
package ollamatest

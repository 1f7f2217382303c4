// Package llmtest provides in-memory models for testing code built on
// Chorus, in the spirit of net/http/httptest: no server, no network, no
// weights.
//
// Model is a scripted chat model (llm.ChatModel and llm.Streamer). It gives
// its Replies in order — text, JSON, tool calls, errors, replies computed
// from the request, a reply that hangs until the caller gives up, a stream
// cut before it is done — then a default reply, and records every request
// it was sent:
//
//	m := llmtest.NewModel("gpt",
//		llmtest.Text(`{"total": 12`),   // invalid JSON first...
//		llmtest.Text(`{"total": 12}`),  // ...then a valid reply
//	)
//	// run the code under test with m, then look at m.Requests()
//
// Embedder is a deterministic hashing embedder (llm.Embedder) that counts
// its calls and can be slowed down or scripted to fail.
//
// Both are safe for concurrent use and honour their context.
package llmtest

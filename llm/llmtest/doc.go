// Package llmtest provides in-memory models for testing code built on
// Chorus, in the spirit of net/http/httptest: no server, no network, no
// weights.
//
//	m := llmtest.NewModel("gpt",
//		llmtest.Text("Paris"),
//		llmtest.Error(llmtest.StatusError(429)), // then a rate limit
//	).WithDefault(llmtest.Text("I don't know"))
//	resp, err := m.Chat(ctx, req)  // "Paris", then the 429, then "I don't know"
//	fmt.Println(len(m.Requests())) // every request it was sent
//
// (ExampleModel runs it.) Model is a scripted chat model (llm.ChatModel
// and llm.Streamer). It gives its Replies in order — text, JSON, tool
// calls, errors, replies computed from the request, a reply that hangs
// until the caller gives up, a stream cut before it is done — then a
// default reply, and records every request it was sent.
//
// Embedder is a deterministic hashing embedder (llm.Embedder) that counts
// its calls and can be slowed down or scripted to fail.
//
// Both are safe for concurrent use and honour their context.
package llmtest

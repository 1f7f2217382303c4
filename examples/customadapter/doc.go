// Package customadapter is a small, complete model adapter, written as the
// README's guide to plugging in custom models walks through it: it makes
// TinyChat — a made-up HTTP JSON chat server — an llm.ChatModel, so that
// every typed adapter (llm.Classifier, llm.Extractor, llm.Structured) and
// every chain combinator works with it.
//
// TinyChat's API is one endpoint:
//
//	POST {base}/api/complete
//	{"model": "tiny-1", "messages": [{"role": "user", "content": "..."}],
//	 "json_schema": {...}, "max_tokens": 100, "temperature": 0.2}
//
//	200 {"output": "...", "stop_reason": "end", "usage": {"in": 12, "out": 3}}
//	4xx/5xx {"error": {"message": "...", "type": "..."}}, maybe Retry-After
//
// The adapter validates requests with llm.Request.Validate, maps them to
// the wire format, honours the context, reports failures as *llm.Error
// values (status, message, retryability, Retry-After) and describes
// itself to inference graphs. Its tests run it against an in-process fake
// of the server (server_test.go) and through the conformance kit
// (conformance_test.go).
package customadapter

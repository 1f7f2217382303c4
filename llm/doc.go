// Package llm holds the model contracts of Chorus — chat models (with
// streaming, tools and structured output), embedders and OCR engines — and
// the typed adapters that turn any of them into a chain.Chain of Go types.
//
// Adapters for real model servers live in sub-packages, so a program
// compiles only the SDKs it imports: llm/openai (OpenAI and every
// OpenAI-compatible server: vLLM, llama.cpp's server, LM Studio),
// llm/ollama and llm/tesseract.
//
// A provider's failure is an *Error carrying the provider, the HTTP status,
// whether it is retryable and the server's Retry-After, so chain.Retry and
// chain.Breaker act on it; errors.Is matches it against ErrRateLimited,
// ErrModelNotFound, ErrAuth, ErrBadRequest and ErrServer.
//
// Adapters describe themselves to chain.Describe as nodes of kind
// chain.KindModel named "provider:model", so they show in inference graphs.
package llm

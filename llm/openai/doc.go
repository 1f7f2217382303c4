// Package openai adapts OpenAI's chat and embedding models, and those of
// every OpenAI-compatible server (vLLM, llama.cpp's server, LM Studio,
// Ollama's /v1), to Chorus's model contracts, on the go-openai client.
//
//	model, err := openai.New("gpt-4o-mini") // the key from OPENAI_API_KEY
//	if err != nil {
//		return err // errors.Is(err, chain.ErrConfig)
//	}
//	classify := llm.Prompt(model, "Classify the document: Invoice, Receipt or Letter. Answer with one word.")
//	label, err := classify.Run(ctx, "INVOICE No. 2024-117 — Total due: 1,250.00 EUR") // "Invoice"
//
// (Example runs it against a stand-in OpenAI-compatible server named by
// WithBaseURL.)
//
// New returns a *Model, an llm.ChatModel and llm.Streamer; NewEmbedder an
// *Embedder, an llm.Embedder. Both find their server the same way:
//
//   - OpenAI: set OPENAI_API_KEY (or pass WithAPIKey) and nothing else;
//     OPENAI_ORG_ID or WithOrganization selects an organization.
//   - An OpenAI-compatible server: set OPENAI_BASE_URL (or pass
//     WithBaseURL) to its URL up to and including "/v1", for example
//     http://localhost:8000/v1 for vLLM. A key is optional when a base URL
//     is set; with neither a key nor a base URL the constructors return an
//     error matching ErrNoAPIKey.
//   - Azure OpenAI: pass WithAzure(endpoint, apiVersion), the endpoint
//     and version defaulting to AZURE_OPENAI_ENDPOINT and
//     AZURE_OPENAI_API_VERSION (else DefaultAzureAPIVersion), the key to
//     AZURE_OPENAI_API_KEY (sent as the api-key header); requests go to
//     /openai/deployments/{deployment}/... with the deployment named by
//     WithAzureDeployment (default: the model name). WithAzureToken sends
//     Microsoft Entra ID bearer tokens instead of a key.
//
// Options given to a constructor take precedence over the environment.
// SharedOptions (the key, the server, the organization, the HTTP client,
// the logger) configure both constructors; WithOptions only New, the
// embedding options only NewEmbedder, and the compiler says so. Every
// constructor error (an empty model name, no key, a bad base URL, an
// invalid option value) matches chain.ErrConfig; MustNew and MustEmbedder
// panic with it instead.
//
// Requests map to the Chat Completions API: roles, text and images (sent
// as base64 data: URLs), tool definitions, tool choice, tool calls and
// their results, response formats (json_object, and json_schema with its
// name, schema and strict flag) and the generation options. Models of the
// o1, o3, o4, gpt-5 and gpt-6 families get max_completion_tokens instead of
// max_tokens, and no temperature or top_p, which they reject. A zero
// temperature is sent as the smallest positive float32, because go-openai
// leaves a zero out of the request.
//
// Failures are *llm.Error values with the HTTP status, OpenAI's error code
// and message, whether a retry may help, and the server's Retry-After
// (retry-after-ms or Retry-After), which go-openai drops and this package
// recovers by wrapping the HTTP client, so chain.Retry waits as long as the
// server asked. Dropped connections are retryable *llm.Error values with
// status 0; a success status whose body cannot be read or decoded (cut,
// truncated or garbled by a proxy) is a retryable *llm.Error with that
// status, "unreadable response body: ..." (content that is not the JSON a
// schema asked for is an answer, not an error: llm.Structured repairs
// it); when the caller's context ends, the error wraps its ctx.Err().
// The API key never appears in errors or logs.
//
// Reliable by default, like OpenAI's and Anthropic's own SDKs: a call that
// fails with a retryable error (408, 409, 429, 5xx, a dropped connection,
// an unreadable body, a stream cut before its first chunk, a timeout) is
// retried twice (DefaultMaxRetries, WithMaxRetries; 0 turns retries off),
// waiting 0.5s then 1s (doubling up to 8s, less up to a quarter at random:
// WithRetryBackoff), or the server's Retry-After when it asks for longer,
// capped at 60s (DefaultMaxRetryWait, WithMaxRetryWait). A wait that would
// pass the caller's deadline is not started: the call fails at once with
// the *llm.Error, its message saying "server asked to wait 1m30s, past the
// caller's deadline". A stream is retried only before its first chunk
// reached the caller. Every attempt is bounded by DefaultTimeout (10
// minutes, WithTimeout; a stream's attempt lasts to its last chunk; 0
// turns it off), so no call waits forever on a server that stopped
// answering: it fails with a retryable *llm.Error matching
// context.DeadlineExceeded. Retries are announced to hooks as
// chain.EventRetry. A chain.Retry around the model multiplies the
// attempts: turn one of them off.
//
// Token usage is in each Response and in a stream's final chunk, and
// Embedder.EmbedUsage returns it; the adapter reports nothing to hooks
// itself: llm.Chat, llm.Stream and llm.Embed, through which Chorus calls
// models, report one chain.EventTokens per call.
//
// A Model describes itself to chain.Describe as "openai:<model>", of kind
// chain.KindModel; use llm.ChatChain or llm.Prompt to make it a chain, and
// llm.EmbedChain to gather concurrent embedding calls into batches.
package openai

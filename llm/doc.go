// Package llm holds the model contracts of Chorus — chat models (with
// streaming, tools and structured output), embedders and OCR engines — and
// the typed adapters that turn any of them into a chain.Chain of Go types.
//
//	type Receipt struct {
//		Shop  string  `json:"shop" jsonschema:"description=The shop's name"`
//		Total float64 `json:"total" jsonschema:"description=The amount paid"`
//	}
//
//	extract := llm.Extractor[Receipt](model) // model: any llm.ChatModel
//	r, err := extract.Run(ctx, "CORNER CAFÉ\n1 espresso 2.10\n1 croissant 2.10\nTOTAL 4.20")
//	// r == Receipt{Shop: "Corner Café", Total: 4.2}; a reply that broke the
//	// schema was sent back with the validation error, and answered again.
//
// (ExampleExtractor runs it with a scripted model.)
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
//
// # Token usage
//
// Adapters only report token usage: in Response.Usage, in the final Chunk
// of a stream, and from UsageEmbedder.EmbedUsage. Chat, Stream and Embed
// are the one layer that reports it to hooks, as exactly one
// chain.EventTokens per call named after the model; every Chorus chain
// (ChatChain, Prompt, Structured, the tools agent, memory's Chat and
// Summary, retrieval) calls models through them. TokenCounter is the one
// measure of text size (ApproxTokens estimates tokens without a
// tokenizer), used by memory's budgets and retrieval's splitters.
//
// # Constructors and options
//
// Every package of Chorus follows one convention. A NewX that can fail
// returns (X, error), and MustX panics with the same error, like
// regexp.Compile and regexp.MustCompile; a NewX that cannot fail returns X.
// A constructor named for the chain it returns (Structured, Extractor,
// Classifier, ScoredClassifier, ChatChain, Prompt, EmbedChain, OCRChain,
// OCRResultChain) panics on invalid configuration, like the chain
// package's combinators, and Structured, Extractor and the classifiers have a NewX twin returning
// the error. Every configuration error matches chain.ErrConfig, so
// chain.Build turns any such panic into an error. An invalid option value
// is an error of the constructor, never an option-time panic and never
// ignored. WithOptions is, in every package that takes them, the
// llm.Options (temperature, maximum tokens...) sent with each request.
package llm

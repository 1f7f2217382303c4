// Package oip adapts models served over the Open Inference Protocol — the
// KServe V2 inference protocol spoken by NVIDIA Triton Inference Server,
// KServe, Seldon MLServer, OpenVINO Model Server and TorchServe — so that a
// classical or ONNX model (a gradient-boosted classifier, a small CNN, a
// scikit-learn pipeline) becomes a chain.Chain of Go types, next to the
// LLMs of the other adapters.
//
//	model, err := oip.New("http://triton:8000", "iris")
//	if err != nil {
//		return err // errors.Is(err, chain.ErrConfig)
//	}
//	classify := oip.Chain(model, encodeFlower, decodeSpecies, "label") // a chain.Chain[Flower, Species]
//	species, err := classify.Run(ctx, Flower{5.1, 3.5, 1.4, 0.2})      // "setosa"
//
// (Example runs it against oiptest's in-process server.)
//
// New returns a *Model for one model of a server. Model.Infer sends typed
// tensors to POST /v2/models/{name}[/versions/{version}]/infer and returns
// the output tensors; Model.Metadata reads GET /v2/models/{name} (input
// and output names, datatypes and shapes, -1 for a variable dimension);
// Model.Ready reads GET /v2/models/{name}/ready and suits
// chain.HealthCheck, so that a chain.Breaker probes the model before
// letting calls through again; Model.ServerReady and Model.ServerLive read
// the server's health endpoints.
//
// A Tensor carries its name, Datatype, shape and data as the Go slice of
// its datatype ([]float32 for FP32 and FP16, []int64 for INT64, []string
// for BYTES, ...) in row-major order. NewTensor infers the datatype from
// the slice, FromRows builds a matrix from rows, Rows and Values read them
// back, Float64s and Int64s convert any numeric tensor.
//
// Chain makes a chain of a model from two functions: one that encodes the
// chain's input into tensors and one that decodes the output tensors:
//
//	iris := oip.Chain(model,
//		func(f Flower) ([]oip.Tensor, error) { ... },
//		func(out []oip.Tensor) (Species, error) { ... })
//
// Before sending, Infer checks each input tensor (its data fits its shape
// and datatype) and, unless WithoutValidation is given, checks the inputs
// and requested outputs against the model's metadata, read once and
// cached: an unknown name, another datatype or a shape that does not fit
// (-1 matches any size) is refused with a *TensorError matching
// ErrMismatch and llm.ErrInvalidRequest, and nothing is sent.
//
// A failure of the server is an *llm.Error with Provider "oip", the HTTP
// status, the message of the protocol's error body {"error": "..."},
// whether retrying may help (llm.TemporaryStatus: 429, 503 and the other
// 5xx) and the server's Retry-After, so chain.Retry and chain.Breaker act
// on it; 404 matches llm.ErrModelNotFound. A request that got no answer is
// a retryable *llm.Error with status 0; when the context ends, the error
// wraps ctx.Err().
//
// Inference and metadata reads retry retryable failures twice by default
// (DefaultMaxRetries, WithMaxRetries; 0 turns retries off), waiting 0.5s
// then 1s (doubling up to 8s, less up to a quarter at random:
// WithRetryBackoff), or the server's Retry-After when it asks for longer,
// capped at 60s (DefaultMaxRetryWait, WithMaxRetryWait); a wait that
// would pass the caller's deadline is not started: the call fails at once,
// saying the server's wait. Every attempt and health probe is bounded by
// DefaultTimeout (10 minutes, WithTimeout; 0 turns it off): a server that
// stopped answering gives a retryable *llm.Error matching
// context.DeadlineExceeded.
//
// Tensor data travels as JSON, the protocol's required encoding. The
// binary tensor data extension (binary_data_size, raw bytes after the JSON
// body) is not implemented, so BYTES elements must be valid UTF-8 text and
// FP16 values travel as JSON numbers (float32 in Go); large image tensors
// cost JSON's overhead. The gRPC API is not covered either.
//
// Package oiptest provides an in-process server speaking the protocol, for
// tests.
package oip

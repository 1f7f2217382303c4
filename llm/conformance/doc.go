// Package conformance checks that a model adapter behaves the way Chorus's
// chains rely on, in the spirit of testing/fstest.TestFS: an adapter's own
// test calls TestChatModel, TestEmbedder or TestOCR, and each behaviour is
// a subtest with a name that says what broke ("Errors/429_rate_limited",
// "Cancel/while_waiting", "Validation/no_messages").
//
//	func TestConformance(t *testing.T) {
//		conformance.TestChatModel(t, func(t *testing.T) conformance.ChatHarness {
//			return newHarness(t) // your adapter, on a fresh fake of its server
//		})
//	}
//
// (ExampleTestChatModel shows the call; the tests of this package run it
// on an in-process fake adapter, and examples/customadapter runs it on a
// complete one. A kit that takes a *testing.T has no example with output:
// its output is the test's.)
//
// Chat models and embedders are checked against a scripted server: the
// test author implements a ChatHarness (or an EmbedderHarness) that queues
// the server's next answer — a text, an HTTP error with a Retry-After, a
// request that never gets an answer — and reports what reached the server.
// The kit makes a fresh harness for every check, so that each starts from
// an empty server. An adapter for an HTTP model server backs the harness
// with an in-process fake of that server (net/http/httptest); an in-memory
// model backs it with a queue of its own.
//
// TestChatModel checks that
//
//   - the model describes itself (chain.Describer, a chain.KindModel node);
//   - a plain call returns the scripted text and sends the prompt;
//   - streaming, when the model is an llm.Streamer, agrees with the plain
//     call, and stopping early leaks nothing;
//   - invalid requests (no messages, an unknown role, an unsupported image)
//     are refused with llm's sentinel errors before anything is sent;
//   - HTTP failures come back as *llm.Error values with the status, the
//     server's message, the right retryability (429 and 5xx yes, 4xx no),
//     the status sentinels (llm.ErrRateLimited, ...) and the Retry-After,
//     so that chain.Retry recovers from a transient failure;
//   - a cancelled or expired context ends a call promptly, with an error
//     matching context.Canceled or context.DeadlineExceeded, and no
//     goroutine is left behind (go.uber.org/goleak);
//   - a json_schema response format reaches the server with its schema and
//     the reply parses through llm.Structured — or, for a model declared
//     with NoStructuredOutput, is refused with llm.ErrInvalidRequest;
//   - concurrent calls are safe (run the tests with -race) and each caller
//     gets one answer of the script.
//
// TestEmbedder checks dimensions, order, empty input, errors, cancellation
// and concurrent use (directly and through llm.EmbedChain). TestOCR reads
// known images, checks the result's structure, cancellation, refusal of
// unsupported images with llm.ErrUnsupportedImage, and concurrent use.
//
// The cancellation checks compare the goroutines before and after the
// call, so do not call t.Parallel in a test that runs the kit.
package conformance

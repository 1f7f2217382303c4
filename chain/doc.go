// Package chain is the composition core of Chorus: one small generic
// interface, Chain[I, O], and combinators that compose chains into typed
// inference graphs.
//
//	classify := chain.Named("classify", chain.Fn(func(ctx context.Context, text string) (string, error) {
//		if strings.Contains(text, "total") {
//			return "invoice", nil
//		}
//		return "letter", nil
//	}))
//	analyse := chain.Named("analyse", chain.Then(
//		chain.Pure(strings.ToLower),
//		chain.Retry(classify, chain.Attempts(3)),
//	))
//	label, err := analyse.Run(ctx, "Total due: 42 EUR") // "invoice", nil
//
// Any model adapter, any plain Go function (through Func or Pure) and every
// combinator is a Chain, so they compose freely, and the compiler checks
// that one stage's output type is the next stage's input type:
//
//   - Then, Then3, Then4 and Pipe run stages in sequence;
//   - Parallel and ParallelAll send one input to several branches at once,
//     Join pairs two branches of different types, Map runs a chain over a
//     slice;
//   - Vote gathers members' answers into a Verdict (Majority, Weighted,
//     WeightedMean or your own Aggregator) with a quorum;
//   - Route sends an input down the route its Router picks;
//   - Retry, Timeout, Fallback and Breaker make a model reliable, and
//     Batch gathers concurrent calls into batched ones;
//   - Wrap adapts a chain (other types, added behaviour) without adding a
//     node to the graph, Step runs a chain on part of a state and puts the
//     result back, Settle turns a failure into a value so a pipeline goes
//     on, and Winner keeps a vote's answer.
//
// A chain that can deliver its output in pieces while it is produced (a
// chat model's tokens) implements TextStreamer; StreamText streams any
// chain, and sequences keep streaming where their last stage streams.
//
// Every combinator describes itself (Describe), so any chain renders as an
// inference graph in Mermaid or Graphviz DOT. Named names a node, and the
// names users give are what they read back: hooks installed with WithHooks
// see each named node's start, end and events with its path of names
// ("analyse/classify"), which unnamed wrappers do not change; SlogHook logs
// them; and a named stage's failure is a *StageError whose message starts
// with its name ("classify: timed out after 2s").
//
// Optional settings are functional options. Constructors check their
// arguments at once and panic with a *ConfigError (matching ErrConfig) on a
// programmer error (a nil chain, no branches, a limit below 1, a negative
// weight, a quorum larger than the members), as regexp.MustCompile does, so
// a bad chain never gets as far as its first call. Build turns that panic
// into an error for chains built from configuration.
//
// Calls honour their context: when it ends, every combinator stops its
// children and returns, leaving no goroutine behind. A panic in a user
// function becomes a *PanicError; SafeRun and Recover do the same for code
// of your own. The package imports only the standard library.
package chain

// Package balance spreads calls over replicas of one model — several
// Ollama GPU boxes, several OpenAI-compatible deployments — and is itself
// a model: a *Balancer is an llm.ChatModel and llm.Streamer usable
// anywhere a model is, and draws in the inference graph as a node named
// "balance" with an edge to each replica.
//
//	b, err := balance.New([]llm.ChatModel{gpu1, gpu2, gpu3},
//		balance.WithMaxInFlight(4), balance.WithCooldown(30*time.Second))
//	...
//	answer, err := llm.Chat(ctx, b, req) // or tools.Agent(b, ...), llm.Prompt(b, ...)
//
// Policies: least in-flight requests by the power of two choices (the
// default: two random available replicas, the one with fewer requests in
// flight), WithLatencyWeighted (moving average latency times requests in
// flight plus one) and WithRoundRobin.
//
// A replica that fails with a fault of its own — a retryable error in the
// sense of chain.IsRetryable: 429, 5xx, timeouts, dropped connections —
// WithFailureThreshold times in a row, or once with a Retry-After, leaves
// rotation for WithCooldown (or the Retry-After, capped by WithMaxCooldown). After
// it, the first call to find it due runs its health check (WithHealthCheck, or
// the replica's own Ping or Check method; without any, that call is the
// probe) and only a passing check brings it back. The caller's own errors
// (400, 404, cancellation) neither count nor fail over. When every
// replica is cooling down a call fails at once with a *NoReplicaError
// (ErrNoReplica) saying when the first returns, unless WithWaitForReplica.
//
// A call that fails with a retryable error is tried once more on another
// replica (WithFailover), for streams only before a chunk reached the caller,
// so a request is not lost when one replica fails. The first-party
// adapters retry twice on their own by default; as replicas, give them
// WithMaxRetries(0) so that a failing replica is left for another at once
// instead of being retried in place. WithMaxInFlight limits each
// replica; when all are saturated a call waits for a slot as long as its
// context allows. Cooldowns, recoveries and failovers are reported to
// hooks (EventCooldown, EventRecover, EventFailover) with the replica's
// name.
//
// NewEmbedder does the same for llm.Embedder replicas.
package balance

// Package serve exposes chains as HTTP JSON endpoints, with the health,
// readiness and graceful-shutdown plumbing a model service needs:
//
//	shout := chain.Named("shout", chain.Pure(func(t Text) Text { return Text{strings.ToUpper(t.Text)} }))
//	ep, err := serve.NewEndpoint(shout)
//	if err != nil {
//		return err // In or Out has no JSON schema, or an option is invalid
//	}
//	mux := serve.MustMux()
//	mux.Mount("/v1/shout", ep)
//	return serve.ListenAndServe(ctx, ":8080", mux)
//
// (Example runs it against an httptest server.) NewEndpoint turns any
// chain.Chain[In, Out] into an *Endpoint, an http.Handler:
//
//   - POST <path> with a JSON body (Content-Type application/json) runs
//     the chain. The body is validated against In's JSON schema, the one
//     schema.New[In]() builds (package chain/schema), then decoded; the
//     reply is Out as JSON. When In or Out is not a struct or a map, its
//     schema (and so the body or the reply) is the object {"value": ...}.
//   - POST <path> with "Accept: text/event-stream" streams the answer as
//     Server-Sent Events: text piece by piece, any other output as one
//     JSON event (see Endpoint).
//   - GET <path>/schema returns {"request": <schema of In>, "response":
//     <schema of Out>}. These are the schemas requests are validated
//     against, not OpenAI's strict variant: a field tagged omitempty is
//     optional, in the published schema and in what is accepted.
//   - GET <path>/graph returns the chain's inference graph in Mermaid
//     (text/plain), or in Graphviz DOT with ?format=dot.
//
// Failures are JSON, {"error": {"status", "code", "message", "details"}}
// (ErrorBody), with the status Status maps the chain's error to: 400 for a
// body that is not JSON or breaks the schema (details lists each
// violation with its JSON pointer) or that the chain refused as the
// caller's fault (IsInvalidInput: llm.ErrInvalidRequest,
// chain.MarkInvalidInput; the message gives the reason, and a
// chain.Breaker does not count it, so bad requests cannot take /readyz
// down), 405, 413 and 415 for a wrong method,
// size or content type, 422 for chain.ErrUnknownRoute and
// schema.ErrInvalid (a model's output that did not fit its schema, such
// as an llm.OutputError), 503 (with Retry-After) for chain.ErrOpen and
// retryable errors, 504 for timeouts, 500 otherwise. A 5xx never carries
// the error's text unless WithErrorDetails says so; it is logged instead.
// A panic of the chain (a *chain.PanicError) is a 500 whose log record
// carries the panic's stack as the attribute "stack"; the stack is never
// sent to the client. When the client has gone, nothing is written and
// the cancellation is logged at Debug (a panic still as a failure).
//
// Memory is bounded and stated. A body is validated token by token
// against the schema, without building its tree (the real validator,
// santhosh-tekuri/jsonschema, still judges each string and number, and
// any part of the schema that uses keywords beyond type, properties,
// required, additionalProperties, items, prefixItems, min/max items and
// properties, allOf, anyOf and oneOf), and only then decoded into In; an
// invalid body stops at 20 violations, and no detail's message or path
// is longer than 256 bytes, so a reply never echoes the body. The verdict
// is the validator's on the whole tree, for every body (a differential
// fuzz test checks it); one case takes the tree to reach it: an object
// that repeats a key whose earlier value broke the schema (the last value
// counts, as in encoding/json) has the whole body judged on its tree if
// the body is at most 16 KiB, and is refused (400, "an object repeats a
// key ...") if it is larger, so that no body costs its tree. A number whose exponent is beyond a million
// where minimum, maximum or multipleOf apply is a violation. A request
// thus holds its body (at most WithMaxBodyBytes, 1 MiB by default), a
// working set of a few KiB, and, once valid, the decoded In. Requests in
// flight are bounded per endpoint (WithMaxInFlight, 64: beyond it 429)
// and per Mux (WithMuxMaxInFlight, 256: beyond it 503), both with
// Retry-After: 1 and at once, never queued; an event stream counts until
// it ends; /healthz, /readyz, /metrics, /schema and /graph are never
// refused. So bodies in flight take at most 256 × 1 MiB on a Mux (64 MiB
// per endpoint), plus the decoded inputs and what the chains hold. Measured
// (TestFloodOfInvalidBodies): 200 clients sending 1 MiB invalid bodies to
// one endpoint grew the live Go heap by about 145 MiB and the peak RSS by
// about 150 MiB; the test asserts 256 MiB and 384 MiB. Before, one such
// body cost about 290 MB of allocations (its tree and the validator's
// error tree), now about 3 MB.
//
// A Mux mounts several endpoints at their paths next to /healthz
// (liveness: 200 while serving), /readyz (readiness: every circuit breaker
// found in the mounted chains' graphs, and every check given with
// WithReadyCheck, must pass, else 503 naming what is not ready) and,
// with WithMetrics, /metrics, so a Prometheus handler plugs in without
// this package importing Prometheus.
//
// ListenAndServe and Serve run an http.Server with timeouts set
// (ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout,
// MaxHeaderBytes) until their context ends, then shut down gracefully:
// new connections are refused, requests in flight finish within the grace
// period. Request contexts do not inherit the server context's
// cancellation, only its values. Event streams push their write deadline
// forward before each event, so WriteTimeout does not cut them.
//
// Configuration follows one rule: NewEndpoint and NewMux return an error,
// MustEndpoint and MustMux panic with it, and an invalid option value
// (a negative size or duration, a nil function) is such an error, never
// ignored. These errors, ListenAndServe's and Serve's for invalid
// options, and Mount's panics match chain.ErrConfig, so chain.Build
// catches them. The hooks of every call are given with WithCallHooks
// (chain.WithHooks attaches hooks to one context).
package serve

// Package tools gives models tools to call: typed Go functions described to
// the model by the JSON schema of their arguments, and the agent loop that
// runs them.
//
//	add := func(ctx context.Context, in AddArgs) (float64, error) { return in.A + in.B, nil }
//	agent := tools.MustAgent(model, tools.MustToolset(
//		tools.MustNew("add", "Adds two numbers.", add), // the schema the model sees is AddArgs's
//	))
//	ans, err := agent.Ask(ctx, "What is 2 + 40?")
//	fmt.Println(ans.Text) // the model called add, then answered "2 + 40 = 42."
//
// (Example runs it with a scripted model.)
//
// # Tools
//
// New makes a tool of a function func(ctx, A) (R, error). The JSON schema
// of A is built once, by schema.New from chain/schema (invopop/jsonschema,
// strict where OpenAI's strict mode allows); the model's arguments are validated against
// it (santhosh-tekuri/jsonschema) and decoded into an A before the function
// runs, and R goes back to the model as JSON (a string as it is). A tool
// is also a chain.Chain[A, R]. A Toolset gathers tools and refuses two
// with the same name.
//
// # Agents
//
// NewAgent makes an Agent of an llm.ChatModel and a Toolset, using the
// model's native tool calling (llm.Request.Tools: OpenAI, Ollama and any
// adapter that maps them), or, with WithReAct, a text protocol (Thought,
// Action, Action Input, Observation, Final Answer) for models without it.
// The agent calls the model, runs the tool calls of each reply at the same
// time (WithConcurrency bounds them) and sends the results back, until the
// model answers. Everything that can go wrong with a call — an unknown
// tool, invalid arguments, the tool's error, its timeout (WithToolTimeout,
// WithTimeout), its panic, a veto of the approval hook (WithApprover) — goes
// back to the model as the call's result, starting "error: ", and the loop
// goes on. A run stops with an error after WithMaxSteps model calls
// (*MaxStepsError, with the transcript), when its tokens pass
// WithTokenBudget (*BudgetError), when the model fails, and when its
// context ends; it never leaves a goroutine behind.
//
// An Agent is a chain.Chain[string, string]; Ask returns the whole Answer
// (messages, steps, token usage), Converse and FromMessages take a
// conversation ([]llm.Message), Events streams the run as an
// iter.Seq2[Event, error] (model text as it streams, tool calls, tool
// results, the answer), and Conversation keeps conversations in a
// memory.Memory by session ID, tool calls and results included.
//
// Agents report to chain hooks (their node, a node per tool call, token
// usage) and describe themselves as a node of kind KindAgent with the model
// and the tools as children, so chain.Mermaid draws them. The model is
// called through llm.Chat or llm.Stream, which report each call's token
// usage once.
//
// # Constructors
//
// New, NewToolset and NewAgent return an error matching chain.ErrConfig on
// an invalid argument or option; MustNew, MustToolset and MustAgent panic
// with it (like regexp.Compile and regexp.MustCompile), and chain.Build
// turns such a panic back into an error. Options never panic. The
// generation options of every request are WithOptions, as in llm, the
// adapters, memory and retrieval.
package tools

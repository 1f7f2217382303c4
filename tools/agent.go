package tools

import (
	"context"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// KindAgent is the kind of an agent's node in inference graphs.
const KindAgent chain.Kind = "agent"

// Agent answers by calling its model in a loop, running the tools the
// model asks for between calls, until the model gives a final answer.
//
// Each step sends the conversation so far (after the system prompt, see
// WithSystem) with the tools' definitions and reads the reply. A reply
// without tool calls is the final answer. Otherwise every call runs — the
// calls of one reply at the same time, at most WithConcurrency at once —
// and each result goes back to the model as a tool message, in the order
// of the calls. A call the agent cannot run does not stop the loop: its
// result tells the model what went wrong, so it can do better:
//
//	error: unknown tool "serch"; the tools are: calculator, search
//	error: invalid arguments: the JSON does not match the schema: ...
//	error: the call was not approved: <the Approver's reason>
//	error: calculator timed out after 2s
//	error: the tool failed unexpectedly (panic: ...)
//	error: <the tool's own error>
//
// A run ends with an error when the model fails (its error, wrapped), when
// ctx ends (wrapping ctx.Err(); running tools are cancelled and waited
// for), after WithMaxSteps model calls (*MaxStepsError) and when the
// tokens used pass WithTokenBudget (*BudgetError). To retry a failed
// model call, or bound it in time, without running again the tools that
// already ran, give the agent a model that does so: model middleware, or
// a chain made a model again by llm.FromChain, such as
// llm.FromChain(chain.Retry(llm.ChatChain(model))).
//
// An Agent is a chain.Chain[string, string], question in and answer out;
// Ask returns the whole Answer, Converse and FromMessages take a
// conversation, Events streams what happens, and Conversation carries the
// conversation across runs in a memory.Memory. WithReAct switches to a
// text protocol for models without native tool calling.
//
// Hooks (chain.WithHooks) see the agent as a node (named by WithName) and
// each tool call as a node under it, named after the tool; the model is
// called through llm.Chat or llm.Stream, which report its token usage as
// one chain.EventTokens per call named after the model, and a call refused (an
// unknown tool, a veto) as an event of kind HookRefused. The agent
// describes itself as a node of kind KindAgent over the model and its
// tools (see Describe). An Agent is safe for concurrent use.
type Agent struct {
	model   llm.ChatModel
	tools   *Toolset
	runners map[string]chain.Chain[json.RawMessage, string]
	defs    []llm.Tool // sent with each request; nil with ReAct
	names   string     // the tools' names, for "unknown tool" results
	system  []llm.Message
	stop    []string // ReAct's stop sequence added to the request's
	cfg     agentConfig
	node    chain.Chain[*job, Answer]
}

var (
	_ chain.Chain[string, string] = (*Agent)(nil)
	_ chain.Describer             = (*Agent)(nil)
)

// Answer is the outcome of a run: the final answer's text and how the run
// got there. Messages are the messages the run added to the conversation,
// in order: each reply of the model (with its tool calls), the tool
// results, and the final reply; the input and the system prompt are not
// included. With WithReAct, tool results are user messages starting
// "Observation:".
type Answer struct {
	Text      string
	Messages  []llm.Message
	Steps     int       // model calls
	ToolCalls int       // tool calls asked for, run or not
	Usage     llm.Usage // summed over the steps
}

// NewAgent makes an agent of a chat model and the tools it may call (nil
// for none). It fails, with an error matching chain.ErrConfig, on a nil
// model (llm.ErrNilModel) or an invalid option.
func NewAgent(model llm.ChatModel, tools *Toolset, opts ...Option) (*Agent, error) {
	if isNil(model) {
		return nil, &configError{"NewAgent", llm.ErrNilModel}
	}
	cfg := newAgentConfig(opts)
	if cfg.err != nil {
		return nil, &configError{"NewAgent", cfg.err}
	}
	a := &Agent{model: model, tools: tools, cfg: cfg, runners: make(map[string]chain.Chain[json.RawMessage, string], tools.Len())}
	for i, t := range tools.Tools() {
		name := tools.defs[i].Name
		r := &runner{tool: t, name: name}
		if own, ok := t.(interface{ Timeout() time.Duration }); !ok || own.Timeout() <= 0 {
			r.timeout = cfg.toolTimeout
		}
		a.runners[name] = chain.Named(name, chain.Chain[json.RawMessage, string](r))
	}
	a.names = strings.Join(tools.Names(), ", ")
	system := cfg.system
	if cfg.react {
		system = reactPrompt(cfg.system, tools.Definitions())
		a.stop = []string{"\nObservation:"}
	} else {
		a.defs = tools.Definitions()
	}
	if system != "" {
		a.system = []llm.Message{llm.System(system)}
	}
	a.node = chain.Named(cfg.name, chain.Chain[*job, Answer](loop{a}))
	return a, nil
}

// MustAgent is NewAgent that panics instead of returning an error.
func MustAgent(model llm.ChatModel, tools *Toolset, opts ...Option) *Agent {
	a, err := NewAgent(model, tools, opts...)
	if err != nil {
		panic(err)
	}
	return a
}

// Run answers a question and returns the final answer's text.
func (a *Agent) Run(ctx context.Context, question string) (string, error) {
	ans, err := a.Ask(ctx, question)
	return ans.Text, err
}

// Ask answers a question and returns the whole Answer.
func (a *Agent) Ask(ctx context.Context, question string) (Answer, error) {
	return a.node.Run(ctx, &job{msgs: []llm.Message{llm.User(question)}})
}

// Converse continues a conversation: msgs are the messages so far (the
// history, then the new user message), sent after the agent's system
// prompt. msgs is not modified.
func (a *Agent) Converse(ctx context.Context, msgs []llm.Message) (Answer, error) {
	return a.node.Run(ctx, &job{msgs: msgs})
}

// FromMessages returns the agent as a chain from a conversation to an
// Answer (see Converse).
func (a *Agent) FromMessages() chain.Chain[[]llm.Message, Answer] { return messagesChain{a} }

// Tools returns the agent's tools.
func (a *Agent) Tools() *Toolset { return a.tools }

// Describe reports the agent as a node of kind KindAgent with two
// children: the model, and a node of kind chain.KindParallel named
// "tools" whose children are the tools (one per tool, in order), since the
// calls of a turn run side by side; chain.Mermaid draws the model, then
// the tools fanning out. An agent without tools has the model alone.
func (a *Agent) Describe() chain.Node {
	detail := "max " + strconv.Itoa(a.cfg.maxSteps) + " steps"
	if a.cfg.react {
		detail = "ReAct, " + detail
	}
	if a.cfg.budget > 0 {
		detail += ", budget " + strconv.Itoa(a.cfg.budget) + " tokens"
	}
	n := chain.Node{Kind: KindAgent, Name: a.cfg.name, Detail: detail, Chain: a}
	n.Children = append(n.Children, chain.Describe(a.model))
	if a.tools.Len() == 0 {
		return n
	}
	set := chain.Node{Kind: chain.KindParallel, Name: "tools", Detail: "limit " + strconv.Itoa(a.cfg.concurrency)}
	for _, name := range a.tools.Names() {
		set.Children = append(set.Children, chain.Describe(a.runners[name]))
	}
	n.Children = append(n.Children, set)
	return n
}

// messagesChain is the agent as a chain.Chain[[]llm.Message, Answer].
type messagesChain struct{ a *Agent }

// Run answers the conversation.
func (m messagesChain) Run(ctx context.Context, msgs []llm.Message) (Answer, error) {
	return m.a.Converse(ctx, msgs)
}

// Describe describes the agent.
func (m messagesChain) Describe() chain.Node { return m.a.Describe() }

// loop is the node hooks see for a run.
type loop struct{ a *Agent }

// Run runs the agent loop for one job.
func (l loop) Run(ctx context.Context, j *job) (Answer, error) { return l.a.run(ctx, j) }

// Describe describes the agent, so that hooks see the node's kind.
func (l loop) Describe() chain.Node { return l.a.Describe() }

// runner runs one tool for the agent: within the agent's timeout when the
// tool has none of its own, with a panic turned into a *chain.PanicError.
type runner struct {
	tool    Tool
	name    string
	timeout time.Duration
}

// Run calls the tool.
func (r *runner) Run(ctx context.Context, args json.RawMessage) (out string, err error) {
	defer chain.Recover(&err)
	if r.timeout <= 0 {
		return r.tool.Call(ctx, args)
	}
	err = withTimeout(ctx, r.name, r.timeout, func(ctx context.Context) (err error) {
		out, err = r.tool.Call(ctx, args)
		return err
	})
	return out, err
}

// Describe describes the tool as it describes itself (else as a leaf of
// kind KindTool), with the agent's timeout when it applies.
func (r *runner) Describe() chain.Node {
	n := chain.Node{Kind: KindTool, Name: r.name, Chain: r.tool}
	if d, ok := r.tool.(chain.Describer); ok {
		n = d.Describe()
	}
	if r.timeout > 0 && n.Detail == "" {
		n.Detail = "timeout " + r.timeout.String()
	}
	return n
}

// isNil reports whether m is nil or a typed nil pointer; it runs once, at
// construction.
func isNil(m llm.ChatModel) bool {
	if m == nil {
		return true
	}
	v := reflect.ValueOf(m)
	switch v.Kind() {
	case reflect.Pointer, reflect.Func, reflect.Map, reflect.Slice, reflect.Chan, reflect.Interface:
		return v.IsNil()
	}
	return false
}

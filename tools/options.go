package tools

import (
	"context"
	"fmt"
	"time"

	"github.com/chorus-go/chorus/llm"
)

// Default settings of an Agent.
const (
	// DefaultMaxSteps is how many times an agent calls its model in one
	// run unless WithMaxSteps says otherwise.
	DefaultMaxSteps = 10
	// DefaultConcurrency is how many tool calls of one model turn run at
	// the same time unless WithConcurrency says otherwise.
	DefaultConcurrency = 4
)

// Approver is asked before each tool call runs, with the call as the
// model wrote it. It returns nil to let the call run. Any other error
// vetoes the call: the tool does not run, "error: the call was not
// approved: <the error>" goes back to the model as the call's result and
// the run goes on. When ctx has ended, the run stops instead.
//
// The agent asks for the calls of one model turn one at a time, in the
// model's order, on the goroutine of the run; the approved calls then run
// together.
type Approver func(ctx context.Context, call llm.ToolCall) error

// Option configures NewAgent. An invalid value makes NewAgent fail.
type Option func(*agentConfig)

type agentConfig struct {
	name        string
	system      string
	maxSteps    int
	budget      int
	concurrency int
	toolTimeout time.Duration
	approve     Approver
	react       bool
	options     llm.Options
	err         error
}

func (c *agentConfig) fail(format string, args ...any) {
	if c.err == nil {
		c.err = fmt.Errorf(format, args...)
	}
}

func newAgentConfig(opts []Option) agentConfig {
	c := agentConfig{name: string(KindAgent), maxSteps: DefaultMaxSteps, concurrency: DefaultConcurrency}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// WithName names the agent's node in inference graphs and in the node
// paths hooks see (default "agent"); its tools' nodes sit under it
// ("agent/calculator").
func WithName(name string) Option {
	return func(c *agentConfig) {
		if name == "" {
			c.fail("WithName: empty name")
			return
		}
		c.name = name
	}
}

// WithSystem sets the system prompt every request starts with. It is
// configuration, not history: it is not part of an Answer's messages and
// is not stored in memory.
func WithSystem(prompt string) Option {
	return func(c *agentConfig) { c.system = prompt }
}

// WithMaxSteps sets how many times one run may call the model (default
// DefaultMaxSteps). A run that has not reached a final answer by then
// fails with a *MaxStepsError (ErrMaxSteps); the tool calls of the last
// reply are not run, since no step is left to read their results. n must
// be at least 1.
func WithMaxSteps(n int) Option {
	return intOption("WithMaxSteps", n, 1, func(c *agentConfig) *int { return &c.maxSteps })
}

// WithTokenBudget bounds the tokens one run may use: input plus output
// tokens, as the model reports them (llm.Usage), summed over the run's
// steps. As soon as a reply takes the sum over tokens, the run stops with
// a *BudgetError (ErrTokenBudget) and the reply's tool calls do not run.
// Zero, the default, sets no budget; tokens must not be negative.
func WithTokenBudget(tokens int) Option {
	return intOption("WithTokenBudget", tokens, 0, func(c *agentConfig) *int { return &c.budget })
}

// WithConcurrency sets how many tool calls of one model turn run at the
// same time (default DefaultConcurrency; 1 runs them one after the
// other). n must be at least 1.
func WithConcurrency(n int) Option {
	return intOption("WithConcurrency", n, 1, func(c *agentConfig) *int { return &c.concurrency })
}

// intOption is an option that sets *field(c) to n, failing when n is
// below least (0 or 1).
func intOption(name string, n, least int, field func(c *agentConfig) *int) Option {
	return func(c *agentConfig) {
		switch {
		case n >= least:
			*field(c) = n
		case least == 0:
			c.fail("%s: must not be negative, got %d", name, n)
		default:
			c.fail("%s: must be at least %d, got %d", name, least, n)
		}
	}
}

// WithToolTimeout bounds each tool call to d, for tools without a timeout
// of their own (see WithTimeout). A call that runs past it has its context
// cancelled, and "error: <tool> timed out after <d>" goes back to the
// model. Tools must honour their context: the agent waits for a call to
// return, so no goroutine is left behind. d must be positive.
func WithToolTimeout(d time.Duration) Option {
	return func(c *agentConfig) {
		if d <= 0 {
			c.fail("WithToolTimeout: duration must be positive, got %v", d)
			return
		}
		c.toolTimeout = d
	}
}

// WithApprover asks a before each tool call runs; see Approver.
func WithApprover(a Approver) Option {
	return func(c *agentConfig) {
		if a == nil {
			c.fail("WithApprover: nil approver")
			return
		}
		c.approve = a
	}
}

// WithReAct makes the agent use the ReAct text protocol instead of native
// tool calling, for models served without tool support: the tools are
// described in the system prompt, the model answers in lines of Thought,
// Action and Action Input, or Final Answer (see ParseReAct), and each
// tool's result comes back in a user message starting "Observation:".
// Requests carry no Tools and stop at "Observation:".
func WithReAct() Option {
	return func(c *agentConfig) { c.react = true }
}

// WithOptions sets the generation options (temperature, token limit,
// seed...) of every request. Options that llm.Options.Validate refuses
// make NewAgent fail.
func WithOptions(o llm.Options) Option {
	return func(c *agentConfig) {
		if err := o.Validate(); err != nil {
			c.fail("WithOptions: %v", err)
			return
		}
		c.options = o
	}
}

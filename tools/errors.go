package tools

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// Sentinel errors, for errors.Is. The typed errors below match them.
var (
	// ErrInvalidArguments matches an *ArgumentsError: the model's
	// arguments were not JSON, or did not fit the tool's schema.
	ErrInvalidArguments = errors.New("tools: invalid arguments")
	// ErrUnknownTool: the model asked for a tool the agent does not have.
	ErrUnknownTool = errors.New("tools: unknown tool")
	// ErrToolTimeout matches a *TimeoutError: a tool call ran past its
	// timeout.
	ErrToolTimeout = errors.New("tools: tool timed out")
	// ErrVetoed matches a *VetoError: the approval hook refused a call.
	ErrVetoed = errors.New("tools: call not approved")
	// ErrDuplicateTool: two tools of a Toolset have the same name.
	ErrDuplicateTool = errors.New("tools: duplicate tool name")
	// ErrMaxSteps matches a *MaxStepsError: the agent called the model as
	// many times as it may without reaching a final answer.
	ErrMaxSteps = errors.New("tools: maximum steps reached")
	// ErrTokenBudget matches a *BudgetError: the tokens used by a run
	// passed its budget.
	ErrTokenBudget = errors.New("tools: token budget exceeded")
)

// ArgumentsError is a tool call whose arguments were refused before the
// tool ran: Err says why, in words a model can act on (the JSON syntax
// error, or each place the arguments do not fit the schema).
type ArgumentsError struct {
	Tool string
	Err  error
}

// Error names the tool and what was wrong.
func (e *ArgumentsError) Error() string {
	return fmt.Sprintf("tools: %s: invalid arguments: %v", e.Tool, e.Err)
}

// Unwrap returns the validation or decoding error.
func (e *ArgumentsError) Unwrap() error { return e.Err }

// Is reports whether target is ErrInvalidArguments.
func (e *ArgumentsError) Is(target error) bool { return target == ErrInvalidArguments }

// TimeoutError is a tool call that ran past its timeout. It matches
// ErrToolTimeout and context.DeadlineExceeded, and is retryable.
type TimeoutError struct {
	Tool  string
	After time.Duration
}

// Error names the tool and the timeout.
func (e *TimeoutError) Error() string {
	return fmt.Sprintf("tools: %s timed out after %v", e.Tool, e.After)
}

// Is reports whether target is ErrToolTimeout or context.DeadlineExceeded.
func (e *TimeoutError) Is(target error) bool {
	return target == ErrToolTimeout || target == context.DeadlineExceeded
}

// Retryable reports true: another attempt may be faster.
func (e *TimeoutError) Retryable() bool { return true }

// VetoError is a tool call the approval hook refused; Reason is the error
// the hook returned.
type VetoError struct {
	Call   llm.ToolCall
	Reason error
}

// Error names the tool and the reason.
func (e *VetoError) Error() string {
	return fmt.Sprintf("tools: call of %s not approved: %v", e.Call.Name, e.Reason)
}

// Unwrap returns the hook's reason.
func (e *VetoError) Unwrap() error { return e.Reason }

// Is reports whether target is ErrVetoed.
func (e *VetoError) Is(target error) bool { return target == ErrVetoed }

// MaxStepsError is returned by an agent that called its model as many
// times as WithMaxSteps allows without getting a final answer. Transcript
// holds every message of the run (the input, then what the run added: the
// model's replies and the tool results), and Usage the tokens spent.
type MaxStepsError struct {
	Steps      int
	Usage      llm.Usage
	Transcript []llm.Message
}

// Error says how many steps were taken.
func (e *MaxStepsError) Error() string {
	return fmt.Sprintf("tools: no final answer after %d steps (%d tokens)", e.Steps, e.Usage.Total())
}

// Is reports whether target is ErrMaxSteps.
func (e *MaxStepsError) Is(target error) bool { return target == ErrMaxSteps }

// BudgetError is returned by an agent whose run used more tokens (input
// plus output, summed over its steps) than WithTokenBudget allows. The run
// stops as soon as a model reply takes it over the budget; that reply is
// the last message of Transcript, which holds every message of the run.
type BudgetError struct {
	Budget     int
	Used       llm.Usage
	Steps      int
	Transcript []llm.Message
}

// Error says how many tokens were used, against which budget.
func (e *BudgetError) Error() string {
	return fmt.Sprintf("tools: %d tokens used in %d steps, over the budget of %d", e.Used.Total(), e.Steps, e.Budget)
}

// Is reports whether target is ErrTokenBudget.
func (e *BudgetError) Is(target error) bool { return target == ErrTokenBudget }

// configError is what constructors return (and their Must forms panic
// with) on a programmer error. It matches chain.ErrConfig and the error it
// wraps.
type configError struct {
	fn  string
	err error
}

func (e *configError) Error() string        { return "tools." + e.fn + ": " + e.err.Error() }
func (e *configError) Unwrap() error        { return e.err }
func (e *configError) Is(target error) bool { return target == chain.ErrConfig }

func configErr(fn, format string, args ...any) error {
	return &configError{fn, fmt.Errorf(format, args...)}
}

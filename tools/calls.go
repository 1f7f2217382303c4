package tools

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// HookRefused is the kind of the chain.Event an agent reports to hooks
// when it does not run a call: the model named an unknown tool, or the
// Approver vetoed the call. Name is the tool's name and Err why.
const HookRefused chain.EventKind = "tool_refused"

// noOutput is sent to the model for a tool that returned an empty string:
// some providers refuse an empty tool message.
const noOutput = "(no output)"

// outcome is what became of one call.
type outcome struct {
	text string // sent back to the model
	err  error  // why the call failed, nil if it did not
	done bool   // already settled: not to be run
}

// runCalls runs the calls of one reply and returns the text of each
// result, in the calls' order. Calls to unknown tools and vetoed calls are
// settled first, in order; the others run at most cfg.concurrency at a
// time. Results are emitted as they come. It returns an error only when
// ctx ends (after every running call has returned) or the consumer of the
// events stopped.
func (a *Agent) runCalls(ctx context.Context, j *job, step int, calls []llm.ToolCall) ([]string, error) {
	for _, c := range calls {
		if !j.send(Event{Kind: EventToolCall, Step: step, Call: c}) {
			return nil, errStopped
		}
	}
	out := make([]outcome, len(calls))
	var run []int // indexes of the calls to run
	for i, c := range calls {
		if _, ok := a.runners[c.Name]; !ok {
			err := fmt.Errorf("%w %q", ErrUnknownTool, c.Name)
			out[i] = outcome{text: a.unknownText(c.Name), err: err, done: true}
			chain.Emit(ctx, chain.Event{Kind: HookRefused, Name: c.Name, Err: err})
			continue
		}
		if a.cfg.approve != nil {
			if reason := a.cfg.approve(ctx, c); reason != nil {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				err := &VetoError{Call: c, Reason: reason}
				out[i] = outcome{text: "error: the call was not approved: " + reason.Error(), err: err, done: true}
				chain.Emit(ctx, chain.Event{Kind: HookRefused, Name: c.Name, Err: err})
				continue
			}
		}
		run = append(run, i)
	}
	for i, c := range calls {
		if out[i].done && !j.send(resultEvent(step, c, out[i])) {
			return nil, errStopped
		}
	}
	if err := a.execute(ctx, j, step, calls, run, out); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	texts := make([]string, len(out))
	for i, o := range out {
		texts[i] = o.text
	}
	return texts, nil
}

func resultEvent(step int, c llm.ToolCall, o outcome) Event {
	return Event{Kind: EventToolResult, Step: step, Call: c, Result: o.text, Err: o.err}
}

// execute runs calls[i] for each i in run, at most cfg.concurrency at a
// time, and emits each result as it comes, from the run's goroutine. It
// returns once every call it started has returned.
func (a *Agent) execute(ctx context.Context, j *job, step int, calls []llm.ToolCall, run []int, out []outcome) error {
	if len(run) == 1 || a.cfg.concurrency == 1 {
		for _, i := range run {
			out[i] = a.invoke(ctx, calls[i])
			if !j.send(resultEvent(step, calls[i], out[i])) {
				return errStopped
			}
		}
		return nil
	}
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		next    atomic.Int64
		wg      sync.WaitGroup
		done    = make(chan int, len(run)) // never blocks a worker
		workers = min(a.cfg.concurrency, len(run))
	)
	wg.Add(workers)
	for range workers {
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1) - 1)
				if k >= len(run) {
					return
				}
				i := run[k]
				out[i] = a.invoke(cctx, calls[i])
				done <- i
			}
		}()
	}
	stopped := false
	for range run {
		i := <-done
		if !stopped && !j.send(resultEvent(step, calls[i], out[i])) {
			stopped = true
			cancel() // stop the calls still running; wait for them below
		}
	}
	wg.Wait()
	if stopped {
		return errStopped
	}
	return nil
}

// invoke runs one call of a known tool and says what goes back to the
// model.
func (a *Agent) invoke(ctx context.Context, c llm.ToolCall) outcome {
	if err := ctx.Err(); err != nil {
		return outcome{text: "error: " + err.Error(), err: err}
	}
	text, err := a.runners[c.Name].Run(ctx, c.Arguments)
	if err != nil {
		return outcome{text: errorText(c.Name, err), err: err}
	}
	if text == "" {
		text = noOutput
	}
	return outcome{text: text}
}

// errorText is what the model is told about a failed call.
func errorText(tool string, err error) string {
	if se, ok := err.(*chain.StageError); ok && se.Stage == tool {
		err = se.Err // the model knows which tool it called
	}
	var (
		args *ArgumentsError
		to   *TimeoutError
		pe   *chain.PanicError
	)
	switch {
	case errors.As(err, &args):
		return "error: invalid arguments: " + args.Err.Error()
	case errors.As(err, &to):
		return fmt.Sprintf("error: %s timed out after %v", tool, to.After)
	case errors.As(err, &pe):
		return fmt.Sprintf("error: the tool failed unexpectedly (panic: %v)", pe.Value)
	}
	return "error: " + err.Error()
}

// unknownText is what the model is told about a call to an unknown tool.
func (a *Agent) unknownText(name string) string {
	if a.names == "" {
		return fmt.Sprintf("error: unknown tool %q; there are no tools", name)
	}
	return fmt.Sprintf("error: unknown tool %q; the tools are: %s", name, a.names)
}

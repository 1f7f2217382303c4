package tools

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// job is one run: the conversation it starts from, where its events go
// (nil when nobody streams them) and what to do with the answer before it
// is given (store it in memory).
type job struct {
	msgs  []llm.Message
	emit  func(Event) bool
	store func(ctx context.Context, ans *Answer) error
}

// send emits an event and reports whether the consumer wants more.
func (j *job) send(e Event) bool { return j.emit == nil || j.emit(e) }

// errStopped ends a run whose event consumer stopped iterating.
var errStopped = errors.New("tools: the event consumer stopped")

// turn is what the agent makes of one model reply.
type turn struct {
	reply    llm.Message    // goes into the conversation as it is
	calls    []llm.ToolCall // to run; none for a final answer
	final    bool
	answer   string // the final answer's text
	feedback string // ReAct: a reply the agent could not parse, and why
}

// run is the agent loop.
func (a *Agent) run(ctx context.Context, j *job) (ans Answer, err error) {
	defer chain.Recover(&err)
	sys := len(a.system)
	msgs := make([]llm.Message, 0, sys+len(j.msgs)+4)
	msgs = append(append(msgs, a.system...), j.msgs...)
	first := len(msgs)
	var usage llm.Usage
	calls := 0
	for step := 1; ; step++ {
		if err := ctx.Err(); err != nil {
			return Answer{}, fmt.Errorf("tools: %s: %w", a.cfg.name, err)
		}
		resp, err := a.ask(ctx, j, step, msgs)
		if err != nil {
			if errors.Is(err, errStopped) {
				return Answer{}, err
			}
			return Answer{}, fmt.Errorf("tools: %s: step %d: %w", a.cfg.name, step, err)
		}
		usage.InputTokens += resp.Usage.InputTokens
		usage.OutputTokens += resp.Usage.OutputTokens
		t := a.interpret(step, resp)
		msgs = append(msgs, t.reply)
		calls += len(t.calls)
		if a.cfg.budget > 0 && usage.Total() > a.cfg.budget {
			return Answer{}, &BudgetError{Budget: a.cfg.budget, Used: usage, Steps: step, Transcript: slices.Clone(msgs[sys:])}
		}
		if t.final {
			ans := Answer{Text: t.answer, Messages: slices.Clone(msgs[first:]), Steps: step, ToolCalls: calls, Usage: usage}
			if j.store != nil {
				if err := j.store(ctx, &ans); err != nil {
					return ans, err
				}
			}
			j.send(Event{Kind: EventAnswer, Step: step, Text: ans.Text, Answer: &ans}) // the last event: stopping there is no failure
			return ans, nil
		}
		if step >= a.cfg.maxSteps {
			return Answer{}, &MaxStepsError{Steps: step, Usage: usage, Transcript: slices.Clone(msgs[sys:])}
		}
		if t.feedback != "" {
			msgs = append(msgs, llm.User("Observation: "+t.feedback))
			continue
		}
		results, err := a.runCalls(ctx, j, step, t.calls)
		if err != nil {
			if errors.Is(err, errStopped) {
				return Answer{}, err
			}
			return Answer{}, fmt.Errorf("tools: %s: step %d: %w", a.cfg.name, step, err)
		}
		if a.cfg.react {
			msgs = append(msgs, llm.User("Observation: "+results[0]))
			continue
		}
		for i, c := range t.calls {
			msgs = append(msgs, llm.ToolResult(c, results[i]))
		}
	}
}

// ask sends one request: with llm.Chat when nobody streams the run's
// events, else through llm.Stream, emitting the text as it comes. Either
// reports the call's token usage to hooks once.
func (a *Agent) ask(ctx context.Context, j *job, step int, msgs []llm.Message) (llm.Response, error) {
	req := llm.Request{Messages: msgs, Tools: a.defs, Options: a.cfg.options}
	if a.stop != nil && !slices.Contains(req.Stop, a.stop[0]) && len(req.Stop) < 4 {
		req.Stop = append(slices.Clip(req.Stop), a.stop...)
	}
	if j.emit == nil {
		return llm.Chat(ctx, a.model, req)
	}
	var (
		text strings.Builder
		resp = llm.Response{Message: llm.Message{Role: llm.RoleAssistant}}
		done bool
	)
	for c, err := range llm.Stream(ctx, a.model, req) {
		if err != nil {
			return llm.Response{}, err
		}
		if c.Text != "" {
			text.WriteString(c.Text)
			if !j.send(Event{Kind: EventText, Step: step, Text: c.Text}) {
				return llm.Response{}, errStopped
			}
		}
		if c.Done {
			done = true
			resp.Message.ToolCalls = c.ToolCalls
			resp.FinishReason = c.FinishReason
			if c.Usage != nil {
				resp.Usage = *c.Usage
			}
		}
	}
	if !done {
		return llm.Response{}, llm.ErrIncompleteStream
	}
	if text.Len() > 0 {
		resp.Message.Parts = []llm.Part{llm.Text(text.String())}
	}
	return resp, nil
}

// interpret reads a reply: its tool calls, or its final answer.
func (a *Agent) interpret(step int, resp llm.Response) turn {
	reply := resp.Message
	reply.Role = llm.RoleAssistant
	if a.cfg.react {
		return a.interpretReAct(step, reply)
	}
	if len(reply.ToolCalls) == 0 {
		return turn{reply: reply, final: true, answer: reply.Text()}
	}
	calls := slices.Clone(reply.ToolCalls)
	for i := range calls {
		if calls[i].ID == "" {
			// Results are paired with calls by ID: make one up.
			calls[i].ID = "call_" + strconv.Itoa(step) + "_" + strconv.Itoa(i+1)
		}
	}
	reply.ToolCalls = calls
	return turn{reply: reply, calls: calls}
}

// interpretReAct reads a reply written in the ReAct format.
func (a *Agent) interpretReAct(step int, reply llm.Message) turn {
	s, err := ParseReAct(reply.Text())
	if err != nil {
		return turn{reply: reply, feedback: "error: " + strings.TrimPrefix(err.Error(), "tools: ") + ". " + reactReminder}
	}
	if s.Final {
		return turn{reply: reply, final: true, answer: s.FinalAnswer}
	}
	// Keep the reply up to its action: a model may go on writing the
	// observation it expects.
	reply = llm.Assistant(s.Text)
	call := llm.ToolCall{ID: "react_" + strconv.Itoa(step), Name: s.Action, Arguments: []byte(s.ActionInput)}
	return turn{reply: reply, calls: []llm.ToolCall{call}}
}

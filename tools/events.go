package tools

import (
	"context"
	"iter"
	"strconv"

	"github.com/chorus-go/chorus/llm"
)

// EventKind says what an Event reports.
type EventKind int

// The events of a run, in the order they come within a step: the model's
// text as it streams, then the tool calls its reply asks for (all of
// them, in order), then their results (refused calls first, then the
// others as they finish). The run ends with EventAnswer or EventError.
const (
	// EventText is a piece of the model's reply, as it streams: Text.
	EventText EventKind = iota + 1
	// EventToolCall is a tool call the model asked for: Call.
	EventToolCall
	// EventToolResult is a call's result, as sent back to the model:
	// Call, Result, and Err when the call failed or was not run.
	EventToolResult
	// EventAnswer is the final answer: Text and Answer.
	EventAnswer
	// EventError ends a failed run: Err, which is also the sequence's
	// error, and Answer when the run had an answer (its memory could not
	// be stored).
	EventError
)

// String returns the kind's name: "text", "tool_call", "tool_result",
// "answer" or "error".
func (k EventKind) String() string {
	switch k {
	case EventText:
		return "text"
	case EventToolCall:
		return "tool_call"
	case EventToolResult:
		return "tool_result"
	case EventAnswer:
		return "answer"
	case EventError:
		return "error"
	}
	return "EventKind(" + strconv.Itoa(int(k)) + ")"
}

// Event is something that happened during a run. Only the fields that
// matter for its Kind are set.
type Event struct {
	Kind   EventKind
	Step   int          // the model call it belongs to, from 1 (0 for EventError)
	Text   string       // EventText: new text; EventAnswer: the answer
	Call   llm.ToolCall // EventToolCall, EventToolResult
	Result string       // EventToolResult: what the model is told
	Err    error        // EventToolResult: why the call failed; EventError: why the run did
	Answer *Answer      // EventAnswer, and EventError when an answer was reached
}

// Events answers a question as Ask does, streaming what happens: the
// model's text as it is written (through llm.Stream, so piece by piece
// when the model is an llm.Streamer), the tool calls and their results,
// and the final answer. A failed run ends with an EventError whose error
// is also the sequence's second value; every other event comes with a nil
// error. Stopping the iteration cancels the run: the model's request is
// cancelled, running tools are cancelled and waited for.
//
// Token usage reaches hooks through the streaming adapter (llm/openai and
// llm/ollama report it), or from the agent when the model does not
// stream.
func (a *Agent) Events(ctx context.Context, question string) iter.Seq2[Event, error] {
	return a.events(ctx, &job{msgs: []llm.Message{llm.User(question)}})
}

// EventsFor is Events for a conversation, as Converse takes it.
func (a *Agent) EventsFor(ctx context.Context, msgs []llm.Message) iter.Seq2[Event, error] {
	return a.events(ctx, &job{msgs: msgs})
}

func (a *Agent) events(ctx context.Context, j *job) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		stopped := false
		run := *j
		run.emit = func(e Event) bool {
			if !yield(e, nil) {
				stopped = true
			}
			return !stopped
		}
		ans, err := a.node.Run(ctx, &run)
		if err == nil || stopped {
			return
		}
		e := Event{Kind: EventError, Err: err}
		if ans.Steps > 0 {
			e.Answer = &ans
		}
		yield(e, err)
	}
}

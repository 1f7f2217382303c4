package ollama

import (
	"context"
	"errors"

	"github.com/ollama/ollama/api"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/internal/retry"
)

// piece is one response line of /api/chat or /api/generate, reduced to
// what the adapter uses.
type piece struct {
	text    string
	calls   []api.ToolCall
	done    bool
	reason  string
	model   string
	metrics api.Metrics
}

func chatPiece(r *api.ChatResponse) piece {
	return piece{text: r.Message.Content, calls: r.Message.ToolCalls, done: r.Done, reason: r.DoneReason, model: r.Model, metrics: r.Metrics}
}

func generatePiece(r *api.GenerateResponse) piece {
	return piece{text: r.Response, calls: r.ToolCalls, done: r.Done, reason: r.DoneReason, model: r.Model, metrics: r.Metrics}
}

// caller runs one api call (Chat or Generate) under ctx, handing every
// response line to fn; an error from fn aborts the call and is returned.
type caller func(ctx context.Context, fn func(piece) error) error

// assembly gathers the lines of one answer.
type assembly struct {
	text  string
	more  []byte // the text, once a second line brought some
	calls []api.ToolCall
	final piece
	done  bool
}

func (a *assembly) add(p piece) {
	switch {
	case p.text == "":
	case a.text == "" && a.more == nil:
		a.text = p.text
	default:
		if a.more == nil {
			a.more = append(make([]byte, 0, 2*(len(a.text)+len(p.text))), a.text...)
		}
		a.more = append(a.more, p.text...)
	}
	a.calls = append(a.calls, p.calls...)
	if p.done {
		a.done, a.final = true, p
	}
}

func (a *assembly) content() string {
	if a.more != nil {
		return string(a.more)
	}
	return a.text
}

// collect runs call, retried by the adapter's policy, and returns the
// whole answer.
func (c *conn) collect(ctx context.Context, call caller) (llm.Response, error) {
	a, err := retry.Do(ctx, &c.retry, provider, c.model, func(actx context.Context) (*assembly, error) {
		var (
			x exchange
			a assembly
		)
		err := call(withExchange(actx, &x), func(p piece) error {
			a.add(p)
			return nil
		})
		if err != nil || !a.done {
			return nil, c.failure(ctx, err, &x)
		}
		return &a, nil
	})
	if err != nil {
		return llm.Response{}, err
	}
	return c.response(ctx, a), nil
}

// response builds the answer from its assembled lines.
func (c *conn) response(ctx context.Context, a *assembly) llm.Response {
	resp := llm.Response{
		Message:      llm.Message{Role: llm.RoleAssistant},
		FinishReason: finishReason(a.final.reason, len(a.calls)),
		Usage:        usage(a.final.metrics),
		Model:        a.final.model,
	}
	if resp.Model == "" {
		resp.Model = c.model
	}
	if s := a.content(); s != "" {
		resp.Message.Parts = []llm.Part{llm.Text(s)}
	}
	resp.Message.ToolCalls = c.toolCalls(ctx, a.calls)
	return resp
}

// errStopped is returned from the api callback when the consumer of a
// stream stopped early.
var errStopped = errors.New("ollama: stream consumer stopped")

// stream runs call, yielding each line's text as a chunk as it arrives and,
// at the end, one Done chunk with the tool calls, the finish reason and the
// usage. A retryable failure before the first chunk reached the consumer
// is retried by the adapter's policy; after it, it is yielded. The
// consumer's loop body runs inside the api client's callback, on the
// caller's goroutine: no goroutine is started. When the consumer stops,
// the callback returns errStopped, which makes the client close the
// response body, and the call's context is cancelled.
func (c *conn) stream(ctx context.Context, call caller, yield func(llm.Chunk, error) bool) {
	for attempt := 0; ; attempt++ {
		started, err := c.streamOnce(ctx, call, yield)
		if err == nil {
			return
		}
		if started {
			yield(llm.Chunk{}, err)
			return
		}
		delay, again, final := c.retry.Next(ctx, attempt, err)
		if !again {
			yield(llm.Chunk{}, final)
			return
		}
		if serr := retry.Sleep(ctx, delay, err); serr != nil {
			yield(llm.Chunk{}, serr)
			return
		}
	}
}

// streamOnce makes one attempt at a stream, bounded by the adapter's
// timeout. It yields the chunks but not the error, which it returns, with
// whether a chunk reached the consumer; a consumer that stops ends it
// with a nil error.
func (c *conn) streamOnce(ctx context.Context, call caller, yield func(llm.Chunk, error) bool) (started bool, err error) {
	actx, cancel := c.retry.Attempt(ctx)
	defer cancel()
	var (
		x       exchange
		calls   []api.ToolCall
		final   piece
		done    bool
		stopped bool
	)
	err = call(withExchange(actx, &x), func(p piece) error {
		calls = append(calls, p.calls...)
		if p.done {
			done, final = true, p
			return nil // the final chunk is yielded once the body is read
		}
		if p.text != "" {
			started = true
			if !yield(llm.Chunk{Text: p.text}, nil) {
				stopped = true
				return errStopped
			}
		}
		return nil
	})
	if stopped {
		return true, nil
	}
	if err != nil || !done {
		if retry.TimedOut(ctx, actx) {
			return started, retry.TimeoutError(provider, c.model, c.retry.Timeout)
		}
		return started, c.failure(ctx, err, &x)
	}
	u := usage(final.metrics)
	yield(llm.Chunk{
		Text:         final.text,
		ToolCalls:    c.toolCalls(ctx, calls),
		FinishReason: finishReason(final.reason, len(calls)),
		Usage:        &u,
		Done:         true,
	}, nil)
	return true, nil
}

// usage reads the token counts of a final line.
func usage(m api.Metrics) llm.Usage {
	return llm.Usage{InputTokens: m.PromptEvalCount, OutputTokens: m.EvalCount}
}

// finishReason maps done_reason: "stop" and "length" as they are (an empty
// one is "stop"), and "tool_calls" whenever the answer calls tools.
func finishReason(reason string, calls int) string {
	switch {
	case calls > 0:
		return "tool_calls"
	case reason == "":
		return "stop"
	}
	return reason
}

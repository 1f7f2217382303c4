package anthropic

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"slices"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/internal/retry"
)

// Stream sends the conversation with streaming on and yields the answer's
// text as it arrives, one chunk per text_delta event. The last chunk has
// Done set and carries the tool calls (each assembled from its tool_use
// block's input_json_delta fragments), the finish reason and the usage
// (input and cache tokens from message_start, output tokens from
// message_delta); llm.Stream, not this method, reports it to hooks. A
// stream that ends before message_stop (a cut connection) yields an
// *llm.Error wrapping llm.ErrIncompleteStream; an `event: error` yields
// an *llm.Error with the status of its error type (529 for
// overloaded_error). A retryable failure before the first chunk reached
// the caller is retried (WithMaxRetries); after it, it is yielded.
// Stopping the iteration early closes the stream and cancels the request.
func (m *Model) Stream(ctx context.Context, req llm.Request) iter.Seq2[llm.Chunk, error] {
	return func(yield func(llm.Chunk, error) bool) {
		p, dropped, err := m.params(&req)
		if err != nil {
			yield(llm.Chunk{}, err)
			return
		}
		m.logDropped(ctx, dropped)
		for attempt := 0; ; attempt++ {
			started, err := m.streamOnce(ctx, p, yield)
			if err == nil {
				return
			}
			if started { // a chunk reached the caller: no retry
				yield(llm.Chunk{}, err)
				return
			}
			delay, again, final := m.c.retry.Next(ctx, attempt, err)
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
}

// streamOnce makes one attempt at a stream, bounded by the adapter's
// timeout. It yields the chunks but not the error, which it returns, with
// whether a chunk reached the caller; a caller that stops the iteration
// ends it with a nil error.
func (m *Model) streamOnce(ctx context.Context, p sdk.MessageNewParams, yield func(llm.Chunk, error) bool) (started bool, err error) {
	actx, cancel := m.c.retry.Attempt(ctx)
	defer cancel()
	call := newCall()
	defer func() {
		if err != nil {
			if retry.TimedOut(ctx, actx) {
				err = retry.TimeoutError(provider, m.c.model, m.c.retry.Timeout)
			}
			err = m.c.red.Error(err)
			m.c.logCall(ctx, "stream", call, err)
		}
	}()
	stream := m.c.api.Messages.NewStreaming(actx, p, option.WithMiddleware(call.middleware))
	defer stream.Close()

	var (
		acc     toolCalls
		finish  string
		u       llm.Usage
		stopped bool
	)
	for stream.Next() {
		ev := stream.Current()
		switch ev.Type {
		case "message_start":
			mu := &ev.Message.Usage
			u = usage(mu.InputTokens, mu.CacheCreationInputTokens, mu.CacheReadInputTokens, mu.OutputTokens)
		case "content_block_start":
			switch cb := &ev.ContentBlock; cb.Type {
			case "tool_use":
				acc.start(ev.Index, cb.ID, cb.Name)
			case "text":
				if cb.Text != "" {
					started = true
					if !yield(llm.Chunk{Text: cb.Text}, nil) {
						return true, nil
					}
				}
			}
		case "content_block_delta":
			switch ev.Delta.Type {
			case "text_delta":
				if ev.Delta.Text != "" {
					started = true
					if !yield(llm.Chunk{Text: ev.Delta.Text}, nil) {
						return true, nil
					}
				}
			case "input_json_delta":
				acc.add(ev.Index, ev.Delta.PartialJSON)
			}
		case "message_delta":
			if ev.Delta.StopReason != "" {
				finish = finishReason(string(ev.Delta.StopReason))
			}
			du := &ev.Usage
			if du.OutputTokens > 0 {
				u.OutputTokens = int(du.OutputTokens)
			}
			if du.InputTokens > 0 || du.CacheCreationInputTokens > 0 || du.CacheReadInputTokens > 0 {
				out := u.OutputTokens
				u = usage(du.InputTokens, du.CacheCreationInputTokens, du.CacheReadInputTokens, 0)
				u.OutputTokens = out
			}
		case "message_stop":
			stopped = true
		}
	}
	if err := stream.Err(); err != nil {
		return started, m.streamError(ctx, err, call)
	}
	if !stopped {
		return started, &llm.Error{Provider: provider, Model: m.c.model, Temporary: true,
			Message: "the stream ended before message_stop", Err: llm.ErrIncompleteStream}
	}
	if m.c.logger != nil {
		m.c.logCall(ctx, "stream", call, nil, slog.Int("input_tokens", u.InputTokens), slog.Int("output_tokens", u.OutputTokens))
	}
	yield(llm.Chunk{ToolCalls: acc.calls(), FinishReason: finish, Usage: &u, Done: true}, nil)
	return true, nil
}

// streamError maps an error met while reading a stream: the caller's
// context error, an HTTP failure or an `event: error` (an *llm.Error), an
// event that is not JSON (a retryable *llm.Error, "unreadable response
// body", wrapping llm.ErrIncompleteStream), or a stream that broke off
// (an *llm.Error wrapping llm.ErrIncompleteStream and the cause, retryable
// when the connection failed).
func (m *Model) streamError(ctx context.Context, err error, call *callInfo) error {
	var apiErr *sdk.Error
	if ctx.Err() != nil || errors.As(err, &apiErr) || call.status == 0 || call.status >= 300 {
		return m.c.mapError(ctx, err, call)
	}
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	if errors.As(err, &syn) || errors.As(err, &typ) {
		e := m.c.unreadable(err, call.status)
		e.Err = fmt.Errorf("%w: %w", llm.ErrIncompleteStream, e.Err)
		return e
	}
	return &llm.Error{Provider: provider, Model: m.c.model, Temporary: llm.IsNetworkError(err),
		Message: "the stream ended before message_stop: " + m.c.redact(err.Error()),
		Err:     fmt.Errorf("%w: %w", llm.ErrIncompleteStream, err)}
}

// toolCalls assembles streamed tool calls: content_block_start gives a
// tool_use block's index, id and name, input_json_delta events of the same
// index fragments of its input.
type toolCalls struct {
	list []partialCall
}

type partialCall struct {
	index    int64
	id, name string
	args     []byte
}

func (t *toolCalls) start(index int64, id, name string) {
	t.list = append(t.list, partialCall{index: index, id: id, name: name})
}

func (t *toolCalls) add(index int64, fragment string) {
	for i := range t.list {
		if t.list[i].index == index {
			t.list[i].args = append(t.list[i].args, fragment...)
			return
		}
	}
}

// calls returns the assembled calls in block order, nil if none.
func (t *toolCalls) calls() []llm.ToolCall {
	if len(t.list) == 0 {
		return nil
	}
	slices.SortStableFunc(t.list, func(a, b partialCall) int { return int(a.index - b.index) })
	out := make([]llm.ToolCall, len(t.list))
	for i := range t.list {
		p := &t.list[i]
		out[i] = llm.ToolCall{ID: p.id, Name: p.name, Arguments: arguments(p.args)}
	}
	return out
}

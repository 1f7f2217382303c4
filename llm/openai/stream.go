package openai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"slices"
	"strings"

	openai "github.com/sashabaranov/go-openai"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/internal/retry"
)

// Stream sends the conversation with streaming on and yields the answer's
// text as it arrives, each delta as soon as it is read. The last chunk has
// Done set and carries the tool calls (assembled whole from their
// fragments), the finish reason and the usage (the request sets
// stream_options.include_usage); llm.Stream, not this method, reports it
// to hooks. A stream that ends before the model finished
// (a cut connection) yields an *llm.Error wrapping llm.ErrIncompleteStream;
// an error event inside the stream yields an *llm.Error; a refusal a
// *RefusalError. A retryable failure before the first chunk reached the
// caller is retried (WithMaxRetries); after it, it is yielded. Stopping
// the iteration early closes the stream and cancels the request.
func (m *Model) Stream(ctx context.Context, req llm.Request) iter.Seq2[llm.Chunk, error] {
	return func(yield func(llm.Chunk, error) bool) {
		oreq, dropped, err := m.request(&req)
		if err != nil {
			yield(llm.Chunk{}, err)
			return
		}
		m.logDropped(ctx, dropped)
		oreq.StreamOptions = &openai.StreamOptions{IncludeUsage: true}
		for attempt := 0; ; attempt++ {
			started, err := m.streamOnce(ctx, oreq, yield)
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
func (m *Model) streamOnce(ctx context.Context, oreq openai.ChatCompletionRequest, yield func(llm.Chunk, error) bool) (started bool, err error) {
	actx, cancel := m.c.retry.Attempt(ctx)
	defer cancel()
	sctx, call := withCall(actx)
	defer func() {
		if err != nil {
			if retry.TimedOut(ctx, actx) {
				err = retry.TimeoutError(provider, m.c.model, m.c.retry.Timeout)
			}
			err = m.c.scrub(err)
			m.c.logCall(ctx, "stream", call, err)
		}
	}()
	stream, err := m.c.api.CreateChatCompletionStream(sctx, oreq)
	if err != nil {
		return false, m.c.mapError(ctx, err, call)
	}
	defer stream.Close()

	var (
		acc     toolCalls
		refusal strings.Builder
		finish  string
		usage   *llm.Usage
	)
	for {
		r, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return started, m.streamError(ctx, err, call)
		}
		if r.Usage != nil {
			usage = &llm.Usage{InputTokens: r.Usage.PromptTokens, OutputTokens: r.Usage.CompletionTokens}
		}
		for i := range r.Choices {
			ch := &r.Choices[i]
			if ch.Index != 0 {
				continue
			}
			if ch.FinishReason != "" && ch.FinishReason != openai.FinishReasonNull {
				finish = string(ch.FinishReason)
			}
			d := &ch.Delta
			if d.Refusal != "" {
				refusal.WriteString(d.Refusal)
			}
			for j := range d.ToolCalls {
				acc.add(&d.ToolCalls[j])
			}
			if d.Content != "" {
				started = true
				if !yield(llm.Chunk{Text: d.Content}, nil) {
					return true, nil
				}
			}
		}
	}
	if finish == "" {
		return started, &llm.Error{Provider: provider, Model: m.c.model, Temporary: true,
			Message: "the stream ended before the model finished", Err: llm.ErrIncompleteStream}
	}
	if refusal.Len() > 0 {
		return started, &RefusalError{Model: m.c.model, Refusal: refusal.String()}
	}
	if usage != nil {
		if m.c.logger != nil {
			m.c.logCall(ctx, "stream", call, nil, slog.Int("input_tokens", usage.InputTokens), slog.Int("output_tokens", usage.OutputTokens))
		}
	} else {
		m.c.logCall(ctx, "stream", call, nil)
	}
	yield(llm.Chunk{ToolCalls: acc.calls(), FinishReason: finish, Usage: usage, Done: true}, nil)
	return true, nil
}

// streamError maps an error met while reading a stream: the caller's
// context error, an error event (an *llm.Error), an event that is not a
// chunk's JSON (a retryable *llm.Error, "unreadable response body",
// wrapping llm.ErrIncompleteStream), or a stream that broke off (an
// *llm.Error wrapping llm.ErrIncompleteStream and the cause, retryable
// when the connection failed).
func (m *Model) streamError(ctx context.Context, err error, call *callInfo) error {
	var apiErr *openai.APIError
	if ctx.Err() != nil || errors.As(err, &apiErr) {
		return m.c.mapError(ctx, err, call)
	}
	if undecodable(err) {
		// An event that is not the JSON of a chunk: a garbled or
		// truncated body.
		e := m.c.unreadable(err, call.status)
		e.Err = fmt.Errorf("%w: %w", llm.ErrIncompleteStream, e.Err)
		return e
	}
	return &llm.Error{Provider: provider, Model: m.c.model, Temporary: llm.IsNetworkError(err),
		Message: "the stream ended before the model finished: " + m.c.redact(err.Error()),
		Err:     fmt.Errorf("%w: %w", llm.ErrIncompleteStream, err)}
}

// undecodable reports whether err is a failure to decode JSON, or
// go-openai's giving up on a stream of lines that are not events.
func undecodable(err error) bool {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	return errors.As(err, &syn) || errors.As(err, &typ) || errors.Is(err, openai.ErrTooManyEmptyStreamMessages)
}

// toolCalls assembles streamed tool calls. The first delta of a call has
// its index, id and name; later deltas only the index and a fragment of the
// arguments. Servers that send no index get calls in order of their ids.
type toolCalls struct {
	list []partialCall
}

type partialCall struct {
	index int
	id    string
	name  string
	args  []byte // not a strings.Builder: the list grows and is sorted, copying it
}

func (t *toolCalls) add(d *openai.ToolCall) {
	var p *partialCall
	switch {
	case d.Index != nil:
		for i := range t.list {
			if t.list[i].index == *d.Index {
				p = &t.list[i]
				break
			}
		}
		if p == nil {
			t.list = append(t.list, partialCall{index: *d.Index})
			p = &t.list[len(t.list)-1]
		}
	case d.ID != "" || len(t.list) == 0:
		t.list = append(t.list, partialCall{index: len(t.list)})
		p = &t.list[len(t.list)-1]
	default:
		p = &t.list[len(t.list)-1]
	}
	if p.id == "" {
		p.id = d.ID
	}
	if p.name == "" {
		p.name = d.Function.Name
	}
	p.args = append(p.args, d.Function.Arguments...)
}

// calls returns the assembled calls in index order, nil if none.
func (t *toolCalls) calls() []llm.ToolCall {
	if len(t.list) == 0 {
		return nil
	}
	slices.SortStableFunc(t.list, func(a, b partialCall) int { return a.index - b.index })
	out := make([]llm.ToolCall, len(t.list))
	for i := range t.list {
		p := &t.list[i]
		out[i] = llm.ToolCall{ID: p.id, Name: p.name, Arguments: arguments(string(p.args))}
	}
	return out
}

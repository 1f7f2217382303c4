package gemini

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"strings"

	"google.golang.org/genai"

	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/internal/retry"
)

// Stream sends the conversation to streamGenerateContent (server-sent
// events) and yields the answer's text as it arrives. The last chunk has
// Done set and carries the function calls, the finish reason and the
// usage; llm.Stream, not this method, reports the usage to hooks. A stream
// that ends before the model finished yields an *llm.Error wrapping
// llm.ErrIncompleteStream; an error event inside the stream an *llm.Error;
// a block by the safety filters a *BlockedError (with the text streamed so
// far as Partial). A retryable failure before the first chunk reached the
// caller is retried (WithMaxRetries); after it, it is yielded. Stopping
// the iteration early closes the stream and cancels the request.
func (m *Model) Stream(ctx context.Context, req llm.Request) iter.Seq2[llm.Chunk, error] {
	return func(yield func(llm.Chunk, error) bool) {
		contents, cfg, err := m.request(&req)
		if err != nil {
			yield(llm.Chunk{}, err)
			return
		}
		for attempt := 0; ; attempt++ {
			started, err := m.streamOnce(ctx, contents, cfg, yield)
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

// streamOnce makes one attempt, bounded by the adapter's timeout. It
// yields the chunks but returns the error, with whether a chunk reached
// the caller; a caller that stops the iteration ends it with nil.
func (m *Model) streamOnce(ctx context.Context, contents []*genai.Content, cfg *genai.GenerateContentConfig, yield func(llm.Chunk, error) bool) (started bool, err error) {
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
	var (
		text   strings.Builder
		calls  []llm.ToolCall
		finish genai.FinishReason
		use    *genai.GenerateContentResponseUsageMetadata
	)
	for r, err := range m.c.api.Models.GenerateContentStream(sctx, m.c.model, contents, cfg) {
		if err != nil {
			return started, m.streamError(ctx, err, call)
		}
		if r == nil {
			continue
		}
		if err := m.promptBlocked(r); err != nil {
			return started, err
		}
		if r.UsageMetadata != nil {
			use = r.UsageMetadata
		}
		if len(r.Candidates) == 0 || r.Candidates[0] == nil {
			continue
		}
		c := r.Candidates[0]
		var delta strings.Builder
		if err := parts(c.Content, &delta, &calls); err != nil {
			return started, &llm.Error{Provider: provider, Model: m.c.model, Message: err.Error(), Err: err}
		}
		if c.FinishReason != "" && c.FinishReason != genai.FinishReasonUnspecified {
			finish = c.FinishReason
		}
		if blockingFinish[finish] {
			text.WriteString(delta.String())
			return started, m.answerBlocked(c, text.String())
		}
		if delta.Len() > 0 {
			text.WriteString(delta.String())
			started = true
			if !yield(llm.Chunk{Text: delta.String()}, nil) {
				return true, nil
			}
		}
	}
	if finish == "" {
		return started, &llm.Error{Provider: provider, Model: m.c.model, Temporary: true,
			Message: "the stream ended before the model finished", Err: llm.ErrIncompleteStream}
	}
	u := usage(use)
	if m.c.logger != nil {
		m.c.logCall(ctx, "stream", call, nil, slog.Int("input_tokens", u.InputTokens), slog.Int("output_tokens", u.OutputTokens))
	}
	yield(llm.Chunk{ToolCalls: calls, FinishReason: finishReason(finish, len(calls) > 0), Usage: &u, Done: true}, nil)
	return true, nil
}

// streamError maps an error met on a stream: ctx's error, an HTTP error
// or an error event (an *llm.Error), or a stream that broke off or
// garbled (a retryable *llm.Error wrapping llm.ErrIncompleteStream).
func (m *Model) streamError(ctx context.Context, err error, call *callInfo) error {
	var apiErr genai.APIError
	if ctx.Err() != nil || errors.As(err, &apiErr) || call.status == 0 {
		return m.c.mapError(ctx, err, call)
	}
	return &llm.Error{Provider: provider, Model: m.c.model, Temporary: true,
		Message: "the stream ended before the model finished: " + truncate(m.c.red.String(err.Error()), 200),
		Err:     fmt.Errorf("%w: %w", llm.ErrIncompleteStream, err)}
}

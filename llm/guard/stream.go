package guard

import (
	"context"
	"fmt"
	"iter"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// Stream streams the guarded model's answer through the layers: through
// the model's own Stream when it is an llm.Streamer, else as its whole
// answer in one final chunk. A failure before the first chunk reaches the
// caller is retried, and then falls back to the next model, like a failed
// Chat; once a chunk has reached the caller a failure ends the stream with
// the error, so no text is ever sent twice. Streams bypass the cache.
// Stopping the iteration early cancels the request.
func (m *Model) Stream(ctx context.Context, req llm.Request) iter.Seq2[llm.Chunk, error] {
	return func(yield func(llm.Chunk, error) bool) {
		stopped := false
		sc := streamCall{req: &req, yield: yield, stop: &stopped}
		_, err := m.streamNode.Run(ctx, sc)
		if err != nil && !sc.stopped() {
			yield(llm.Chunk{}, m.unname(err))
		}
	}
}

// streamCall is one Stream call: the request, the caller's yield, and
// whether the caller stopped.
type streamCall struct {
	req   *llm.Request
	yield func(llm.Chunk, error) bool
	stop  *bool
}

func (c streamCall) stopped() bool { return *c.stop }

// streamRunner is the chain the node runs for Stream.
type streamRunner struct{ m *Model }

func (r streamRunner) Run(ctx context.Context, c streamCall) (struct{}, error) {
	return struct{}{}, r.m.stream(ctx, c)
}

func (r streamRunner) Describe() chain.Node { return chain.Node{Kind: KindGuard, Name: r.m.name} }

func (m *Model) stream(ctx context.Context, c streamCall) error {
	a := &streamAttempt{call: c}
	est := m.estimate(c.req)
	return m.tryAll(ctx, func(i int) (bool, error) {
		a.model = m.models[i]
		err := m.stacks[i].do(ctx, job{est: est, fn: a.attempt})
		return a.delivered, err
	})
}

// streamAttempt is a stream's state across attempts and models.
type streamAttempt struct {
	call      streamCall
	model     llm.ChatModel
	delivered bool
}

func (a *streamAttempt) attempt(ctx context.Context) (int, bool, error) {
	used := 0
	for c, err := range modelStream(ctx, a.model, *a.call.req) {
		if err != nil {
			return used, a.delivered, err
		}
		if c.Done && c.Usage != nil {
			used = c.Usage.Total()
		}
		a.delivered = true
		if !a.call.yield(c, nil) {
			*a.call.stop = true
			return used, true, nil
		}
		if c.Done {
			return used, true, nil
		}
	}
	return used, a.delivered, fmt.Errorf("%s: %w", chain.Describe(a.model).Name, llm.ErrIncompleteStream)
}

// modelStream is the model's stream, or its whole answer as one chunk,
// reporting nothing to hooks: llm.Stream around the guarded Model reports
// the usage once.
func modelStream(ctx context.Context, model llm.ChatModel, req llm.Request) iter.Seq2[llm.Chunk, error] {
	if s, ok := model.(llm.Streamer); ok {
		return s.Stream(ctx, req)
	}
	return func(yield func(llm.Chunk, error) bool) {
		resp, err := model.Chat(ctx, req)
		if err != nil {
			yield(llm.Chunk{}, err)
			return
		}
		u := resp.Usage
		yield(llm.Chunk{Text: resp.Text(), ToolCalls: resp.Message.ToolCalls, FinishReason: resp.FinishReason, Usage: &u, Done: true}, nil)
	}
}

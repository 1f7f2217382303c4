package chain

import (
	"context"
	"fmt"
	"iter"
	"time"
)

// TextStreamer is implemented by chains that can deliver their output as
// text pieces while it is produced, such as a chat model's tokens. It is
// optional: StreamText falls back to Run for chains without it.
//
// Then, Then3, Then4, Pipe and Named implement it by running every stage
// but the last, then streaming the last one, so a composition keeps
// streaming where its last stage streams. Their hooks see the node start
// when iteration starts and end when the stream ends.
type TextStreamer[I any] interface {
	StreamText(ctx context.Context, in I) iter.Seq2[string, error]
}

// StreamText streams c's output for in: piece by piece when c (or the last
// stage of a sequence) is a TextStreamer, otherwise as one piece, the
// output formatted with fmt.Sprint. An error ends the sequence.
func StreamText[I, O any](ctx context.Context, c Chain[I, O], in I) iter.Seq2[string, error] {
	if s, ok := c.(TextStreamer[I]); ok {
		return s.StreamText(ctx, in)
	}
	return runAsStream(ctx, c, in)
}

func runAsStream[I, O any](ctx context.Context, c Chain[I, O], in I) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		out, err := c.Run(ctx, in)
		if err != nil {
			yield("", err)
			return
		}
		yield(textOf(out), nil)
	}
}

func textOf(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

// observeStream is observe for streams: an unnamed node streams straight
// through; a named node's hooks see it start when iteration starts and end
// when the stream ends, with the stream's error (nil when the consumer
// stopped early), and the error the consumer sees is a *StageError naming
// the node.
func observeStream(ctx context.Context, m *meta, stream func(ctx context.Context) iter.Seq2[string, error]) iter.Seq2[string, error] {
	if m.info.Name == "" {
		return stream(ctx)
	}
	t := tracerOf(ctx)
	return func(yield func(string, error) bool) {
		sctx := ctx
		var info NodeInfo
		if t != nil {
			sctx, info = t.enter(ctx, m)
		}
		start := time.Now()
		var failed error
		for piece, err := range stream(sctx) {
			if err != nil {
				failed = err
				err = m.stageError(err)
			}
			if !yield(piece, err) {
				break
			}
		}
		if t != nil {
			t.exit(sctx, info, NodeResult{Duration: time.Since(start), Err: failed})
		}
	}
}

// StreamText runs the first stage, then streams the second.
func (t *then[A, B, C]) StreamText(ctx context.Context, in A) iter.Seq2[string, error] {
	return observeStream(ctx, &t.meta, func(ctx context.Context) iter.Seq2[string, error] { return t.streamText(ctx, in) })
}

func (t *then[A, B, C]) streamText(ctx context.Context, in A) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		mid, err := t.first.Run(ctx, in)
		if err != nil {
			yield("", err)
			return
		}
		for piece, err := range StreamText(ctx, t.second, mid) {
			if !yield(piece, err) || err != nil {
				return
			}
		}
	}
}

// StreamText runs every stage but the last, then streams the last.
func (p *pipe[T]) StreamText(ctx context.Context, in T) iter.Seq2[string, error] {
	return observeStream(ctx, &p.meta, func(ctx context.Context) iter.Seq2[string, error] { return p.streamText(ctx, in) })
}

func (p *pipe[T]) streamText(ctx context.Context, in T) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		v, err := p.run(ctx, in, len(p.stages)-1)
		if err != nil {
			yield("", err)
			return
		}
		for piece, err := range StreamText(ctx, p.stages[len(p.stages)-1], v) {
			if !yield(piece, err) || err != nil {
				return
			}
		}
	}
}

// StreamText streams the named chain.
func (n *named[I, O]) StreamText(ctx context.Context, in I) iter.Seq2[string, error] {
	return observeStream(ctx, &n.meta, func(ctx context.Context) iter.Seq2[string, error] { return StreamText(ctx, n.c, in) })
}

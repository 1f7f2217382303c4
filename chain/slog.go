package chain

import (
	"context"
	"log/slog"
)

// SlogHook returns a Hook that logs every node's start (at Debug), end (at
// Debug, or Error when it failed) and events (at Info; retries and breaker
// changes at Warn) to logger, with the node path, kind and duration as
// attributes.
func SlogHook(logger *slog.Logger) Hook {
	if logger == nil {
		panic(configError("SlogHook", "nil logger"))
	}
	return slogHook{logger}
}

type slogHook struct{ l *slog.Logger }

func (h slogHook) Start(ctx context.Context, n NodeInfo) context.Context {
	h.l.LogAttrs(ctx, slog.LevelDebug, "node start", slog.String("node", n.Path), slog.String("kind", string(n.Kind)))
	return ctx
}

func (h slogHook) End(ctx context.Context, n NodeInfo, r NodeResult) {
	attrs := []slog.Attr{slog.String("node", n.Path), slog.String("kind", string(n.Kind)), slog.Duration("duration", r.Duration)}
	if r.Err != nil {
		h.l.LogAttrs(ctx, slog.LevelError, "node failed", append(attrs, slog.Any("error", r.Err))...)
		return
	}
	h.l.LogAttrs(ctx, slog.LevelDebug, "node end", attrs...)
}

func (h slogHook) Event(ctx context.Context, n NodeInfo, e Event) {
	level := slog.LevelInfo
	attrs := []slog.Attr{slog.String("node", n.Path), slog.String("event", string(e.Kind))}
	switch e.Kind {
	case EventRetry:
		level = slog.LevelWarn
		attrs = append(attrs, slog.Int("attempt", e.Attempt), slog.Duration("delay", e.Delay), slog.Any("error", e.Err))
	case EventBreaker:
		level = slog.LevelWarn
		attrs = append(attrs, slog.String("from", e.From.String()), slog.String("to", e.To.String()))
		if e.Err != nil {
			attrs = append(attrs, slog.Any("error", e.Err))
		}
	case EventFallback:
		attrs = append(attrs, slog.Int("index", e.Index), slog.String("answered", e.Name))
	case EventBatch:
		attrs = append(attrs, slog.Int("size", e.Size))
	case EventTokens:
		attrs = append(attrs, slog.Int("input_tokens", e.InputTokens), slog.Int("output_tokens", e.OutputTokens))
	case EventRoute:
		attrs = append(attrs, slog.String("route", e.Name))
	default:
		if e.Name != "" {
			attrs = append(attrs, slog.String("name", e.Name))
		}
	}
	h.l.LogAttrs(ctx, level, "node event", attrs...)
}

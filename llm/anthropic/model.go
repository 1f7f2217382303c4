package anthropic

import (
	"context"
	"log/slog"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/internal/retry"
)

// Model is an Anthropic chat model (Claude). It implements llm.ChatModel
// and llm.Streamer, and describes itself to chain.Describe as a node of
// kind chain.KindModel named "anthropic:<model>". Make it a chain with
// llm.ChatChain or llm.Prompt. A Model is safe for concurrent use.
type Model struct {
	c         *client
	defaults  llm.Options
	maxTokens int
	cache     CachePoint
}

var (
	_ llm.ChatModel   = (*Model)(nil)
	_ llm.Streamer    = (*Model)(nil)
	_ chain.Describer = (*Model)(nil)
)

// New returns the chat model named model ("claude-sonnet-4-5", ...). The
// API key comes from WithAPIKey or ANTHROPIC_API_KEY and the server from
// WithBaseURL or ANTHROPIC_BASE_URL (default DefaultBaseURL); a key may be
// empty only when a base URL is set (a proxy that adds it), else New
// returns an error matching ErrNoAPIKey. Every error of New (an empty
// model name, no key, a bad base URL, an invalid option) matches
// chain.ErrConfig. New sends nothing: a wrong key or model shows on the
// first call.
func New(model string, opts ...Option) (*Model, error) {
	cfg := config{maxTokens: DefaultMaxTokens}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	c, err := newClient(model, &cfg)
	if err != nil {
		return nil, err
	}
	return &Model{c: c, defaults: cfg.options, maxTokens: cfg.maxTokens, cache: cfg.cache}, nil
}

// MustNew is New that panics with New's error instead of returning it.
func MustNew(model string, opts ...Option) *Model {
	m, err := New(model, opts...)
	if err != nil {
		panic(err)
	}
	return m
}

// Chat sends the conversation to the Messages API and returns the answer.
// The request is checked with req.Validate first. Failures of the provider
// are *llm.Error values (status, Anthropic's error type as Code, message,
// retryability, retry-after); when ctx ends, the error wraps ctx.Err().
// Token usage, with the prompt-cache reads and writes, is in the
// Response; Chat does not report it to hooks: llm.Chat does.
func (m *Model) Chat(ctx context.Context, req llm.Request) (llm.Response, error) {
	p, dropped, err := m.params(&req)
	if err != nil {
		return llm.Response{}, err
	}
	m.logDropped(ctx, dropped)
	var call *callInfo
	msg, err := retry.Do(ctx, &m.c.retry, provider, m.c.model, func(actx context.Context) (*sdk.Message, error) {
		call = newCall()
		msg, err := m.c.api.Messages.New(actx, p, option.WithMiddleware(call.middleware), option.WithRequestTimeout(m.sdkTimeout()))
		if err != nil {
			err = m.c.mapError(ctx, err, call)
			if retry.TimedOut(ctx, actx) {
				err = retry.TimeoutError(provider, m.c.model, m.c.retry.Timeout)
			}
			m.c.logCall(ctx, "chat", call, err)
		}
		return msg, err
	})
	if err != nil {
		return llm.Response{}, err
	}
	out := m.response(msg)
	if m.c.logger != nil {
		m.c.logCall(ctx, "chat", call, nil, slog.Int("input_tokens", out.Usage.InputTokens), slog.Int("output_tokens", out.Usage.OutputTokens))
	}
	return out, nil
}

// sdkTimeout is the SDK's own per-request timeout: later than the
// adapter's, which ends an attempt first; set so that the SDK does not
// refuse a large max_tokens outside a stream. With the adapter's timeout
// off it is 0, and the SDK's check applies.
func (m *Model) sdkTimeout() time.Duration {
	if m.c.retry.Timeout <= 0 {
		return 0
	}
	return m.c.retry.Timeout + time.Minute
}

// Describe reports the model as a leaf of the inference graph, named
// "anthropic:<model>"; the detail names the server when it is not
// Anthropic's.
func (m *Model) Describe() chain.Node {
	return chain.Node{Kind: chain.KindModel, Name: m.String(), Detail: m.c.host, Chain: m}
}

// String returns "anthropic:<model>".
func (m *Model) String() string { return provider + ":" + m.c.model }

// logDropped notes options left out because the API has no such parameter.
func (m *Model) logDropped(ctx context.Context, dropped []string) {
	if len(dropped) > 0 && m.c.logging(ctx, slog.LevelDebug) {
		m.c.logger.LogAttrs(ctx, slog.LevelDebug, "anthropic: options the Messages API does not take were left out",
			slog.String("model", m.c.model), slog.Any("dropped", dropped))
	}
}

package openai

import (
	"context"
	"log/slog"

	openai "github.com/sashabaranov/go-openai"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/internal/retry"
)

// Model is an OpenAI chat model, or a model of an OpenAI-compatible server.
// It implements llm.ChatModel and llm.Streamer, and describes itself to
// chain.Describe as a node of kind chain.KindModel named "openai:<model>".
// Make it a chain with llm.ChatChain or llm.Prompt. A Model is safe for
// concurrent use.
type Model struct {
	c         *client
	defaults  llm.Options
	reasoning bool
}

var (
	_ llm.ChatModel   = (*Model)(nil)
	_ llm.Streamer    = (*Model)(nil)
	_ chain.Describer = (*Model)(nil)
)

// New returns the chat model named model ("gpt-4o-mini", or whatever name
// an OpenAI-compatible server knows its model by). The API key comes from
// WithAPIKey or OPENAI_API_KEY and the server from WithBaseURL or
// OPENAI_BASE_URL (default DefaultBaseURL). A key may be empty when a base
// URL is set (local servers often need none); with neither, New returns an
// error matching ErrNoAPIKey. Every error of New (an empty model name, no
// key, a bad base URL, an invalid option) matches chain.ErrConfig. New
// sends nothing: a wrong key or model shows on the first call.
func New(model string, opts ...Option) (*Model, error) {
	var cfg modelConfig
	for _, o := range opts {
		if o != nil {
			o.applyModel(&cfg)
		}
	}
	c, err := newClient("New", model, &cfg.config)
	if err != nil {
		return nil, err
	}
	return &Model{c: c, defaults: cfg.options, reasoning: reasoningModel(model)}, nil
}

// MustNew is New that panics with New's error instead of returning it.
func MustNew(model string, opts ...Option) *Model {
	m, err := New(model, opts...)
	if err != nil {
		panic(err)
	}
	return m
}

// Chat sends the conversation and returns the answer. The request is
// checked with req.Validate first. Failures of the provider are
// *llm.Error values (status, code, message, retryability, Retry-After); a
// refusal is a *RefusalError (ErrRefused); when ctx ends, the error wraps
// ctx.Err(). Token usage is in the Response; Chat does not report it to
// hooks: llm.Chat, through which Chorus calls models, does.
func (m *Model) Chat(ctx context.Context, req llm.Request) (llm.Response, error) {
	oreq, dropped, err := m.request(&req)
	if err != nil {
		return llm.Response{}, err
	}
	m.logDropped(ctx, dropped)
	var call *callInfo
	resp, err := retry.Do(ctx, &m.c.retry, provider, m.c.model, func(actx context.Context) (openai.ChatCompletionResponse, error) {
		var cctx context.Context
		cctx, call = withCall(actx)
		resp, err := m.c.api.CreateChatCompletion(cctx, oreq)
		if err != nil {
			err = m.c.mapError(ctx, err, call)
			if retry.TimedOut(ctx, actx) {
				err = retry.TimeoutError(provider, m.c.model, m.c.retry.Timeout)
			}
			m.c.logCall(ctx, "chat", call, err)
		}
		return resp, err
	})
	if err != nil {
		return llm.Response{}, err
	}
	out, err := m.response(&resp)
	err = m.c.scrub(err)
	if m.c.logger != nil {
		m.c.logCall(ctx, "chat", call, err, slog.Int("input_tokens", out.Usage.InputTokens), slog.Int("output_tokens", out.Usage.OutputTokens))
	}
	return out, err
}

// Describe reports the model as a leaf of the inference graph, named
// "openai:<model>"; the detail names the server when it is not OpenAI's.
func (m *Model) Describe() chain.Node {
	return chain.Node{Kind: chain.KindModel, Name: provider + ":" + m.c.model, Detail: m.c.host, Chain: m}
}

// logDropped notes options left out because the model rejects them.
func (m *Model) logDropped(ctx context.Context, dropped []string) {
	if len(dropped) > 0 && m.c.logging(ctx, slog.LevelDebug) {
		m.c.logger.LogAttrs(ctx, slog.LevelDebug, "openai: options dropped for a reasoning model",
			slog.String("model", m.c.model), slog.Any("dropped", dropped))
	}
}

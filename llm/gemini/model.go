package gemini

import (
	"context"
	"log/slog"

	"google.golang.org/genai"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
	"github.com/chorus-go/chorus/llm/internal/retry"
)

// Model is a Gemini chat model of the Gemini API. It implements
// llm.ChatModel and llm.Streamer, and describes itself to chain.Describe
// as a node of kind chain.KindModel named "gemini:<model>". A Model is
// safe for concurrent use.
type Model struct {
	c        *client
	defaults llm.Options
}

var (
	_ llm.ChatModel   = (*Model)(nil)
	_ llm.Streamer    = (*Model)(nil)
	_ chain.Describer = (*Model)(nil)
)

// New returns the chat model named model ("gemini-2.5-flash"), on the
// Gemini API (never Vertex AI, whatever GOOGLE_GENAI_USE_VERTEXAI says).
// The key comes from WithAPIKey, else GOOGLE_API_KEY, else GEMINI_API_KEY;
// with none, New returns an error matching ErrNoAPIKey. Every error of New
// (an empty model name, no key, a bad base URL, an invalid option) matches
// chain.ErrConfig. New sends nothing.
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
	return &Model{c: c, defaults: cfg.options}, nil
}

// MustNew is New that panics with New's error instead of returning it.
func MustNew(model string, opts ...Option) *Model {
	m, err := New(model, opts...)
	if err != nil {
		panic(err)
	}
	return m
}

// Chat sends the conversation (generateContent) and returns the answer.
// The request is checked with req.Validate first. Failures of the API are
// *llm.Error values (status, Google's status name as Code, message,
// retryability, the server's wait); a prompt or answer blocked by the
// safety filters is a *BlockedError (ErrBlocked); when ctx ends, the error
// wraps ctx.Err(). Retryable failures are retried (WithMaxRetries).
func (m *Model) Chat(ctx context.Context, req llm.Request) (llm.Response, error) {
	contents, cfg, err := m.request(&req)
	if err != nil {
		return llm.Response{}, err
	}
	var call *callInfo
	resp, err := retry.Do(ctx, &m.c.retry, provider, m.c.model, func(actx context.Context) (*genai.GenerateContentResponse, error) {
		var cctx context.Context
		cctx, call = withCall(actx)
		resp, err := m.c.api.Models.GenerateContent(cctx, m.c.model, contents, cfg)
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
	out, err := m.response(resp)
	err = m.c.scrub(err)
	if m.c.logger != nil {
		m.c.logCall(ctx, "chat", call, err, slog.Int("input_tokens", out.Usage.InputTokens), slog.Int("output_tokens", out.Usage.OutputTokens))
	}
	return out, err
}

// Describe reports the model as a leaf of the inference graph, named
// "gemini:<model>"; the detail names the server when it is not Google's.
func (m *Model) Describe() chain.Node {
	return chain.Node{Kind: chain.KindModel, Name: m.String(), Detail: m.c.host, Chain: m}
}

// String returns "gemini:<model>".
func (m *Model) String() string { return provider + ":" + m.c.model }

package ollama

import (
	"context"
	"iter"

	"github.com/ollama/ollama/api"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// Model is a chat model served by Ollama. It implements llm.ChatModel,
// llm.Streamer and chain.Describer, and is safe for concurrent use.
type Model struct {
	*conn
	think    *api.ThinkValue
	defaults llm.Options // WithOptions
}

// Interface checks.
var (
	_ llm.ChatModel   = (*Model)(nil)
	_ llm.Streamer    = (*Model)(nil)
	_ chain.Describer = (*Model)(nil)
)

// New returns the Ollama model of that name ("llama3.2", "qwen3:8b",
// "hf.co/user/repo:Q4_K_M"). The server is WithHost's, else OLLAMA_HOST's,
// else DefaultHost. New sends nothing: a model that is not installed fails
// the first call with llm.ErrModelNotFound (Ping checks beforehand). It
// fails, with an error matching chain.ErrConfig, on an empty model name,
// an unreadable host or an invalid option.
func New(model string, opts ...Option) (*Model, error) {
	var cfg modelConfig
	for _, o := range opts {
		if o != nil {
			o.applyModel(&cfg)
		}
	}
	c, err := newConn("New", model, &cfg.connConfig)
	if err != nil {
		return nil, err
	}
	return &Model{conn: c, think: cfg.think, defaults: cfg.options}, nil
}

// MustNew is New that panics with New's error instead of returning it.
func MustNew(model string, opts ...Option) *Model {
	m, err := New(model, opts...)
	if err != nil {
		panic(err)
	}
	return m
}

// Name returns the model's name as given to New.
func (m *Model) Name() string { return m.model }

// Host returns the server's base URL, or "" when WithClient was given
// without WithHost.
func (m *Model) Host() string { return m.host }

// Client returns the api client the model uses, for what the adapter does
// not cover (Pull, List, Show).
func (m *Model) Client() *api.Client { return m.client }

// Chat sends the conversation (stream: false) and returns the whole answer:
// its text, its tool calls (arguments as a JSON object; IDs made up as
// "call_<n>" where the server gives none), the finish reason ("stop",
// "length" or "tool_calls") and the token usage. The model's reasoning, if
// it thinks, is not returned. Chat does not report the usage to hooks:
// llm.Chat, through which Chorus calls models, does.
//
// Failures are *llm.Error values (see the package documentation); a
// request that fails llm.Request.Validate is refused before sending; when
// ctx ends, Chat returns an error wrapping ctx.Err().
func (m *Model) Chat(ctx context.Context, req llm.Request) (llm.Response, error) {
	creq, err := m.chatRequest(ctx, &req, false)
	if err != nil {
		return llm.Response{}, err
	}
	return m.collect(ctx, m.chatCaller(creq))
}

// Stream sends the conversation and yields the answer's text as it arrives,
// then a final chunk with Done set, carrying the tool calls, the finish
// reason and the usage (llm.Stream, not this method, reports it to hooks).
// A failure ends the sequence with one error: the same
// errors as Chat's, plus llm.ErrIncompleteStream (retryable) when the stream
// ends without the server's done. Breaking out of the loop stops the
// request. The loop body runs on the caller's goroutine while the response
// is being read: Stream starts no goroutine.
func (m *Model) Stream(ctx context.Context, req llm.Request) iter.Seq2[llm.Chunk, error] {
	return func(yield func(llm.Chunk, error) bool) {
		creq, err := m.chatRequest(ctx, &req, true)
		if err != nil {
			yield(llm.Chunk{}, err)
			return
		}
		m.stream(ctx, m.chatCaller(creq), yield)
	}
}

// chatCaller runs /api/chat.
func (m *Model) chatCaller(req *api.ChatRequest) caller {
	return func(ctx context.Context, fn func(piece) error) error {
		return m.client.Chat(ctx, req, func(r api.ChatResponse) error { return fn(chatPiece(&r)) })
	}
}

// Describe names the model in inference graphs: a model node named
// "ollama:<model>".
func (m *Model) Describe() chain.Node { return m.describe() }

// Ping checks that the server answers and has the model (POST /api/show),
// returning the error a call would get: llm.ErrModelNotFound when the model
// is not installed. It suits chain.HealthCheck.
func (m *Model) Ping(ctx context.Context) error { return m.ping(ctx) }

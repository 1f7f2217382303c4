package memory

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/llm"
)

// KindMemory is the kind of the graph node of a Chat chain.
const KindMemory chain.Kind = "memory"

// Turn is one user turn of a conversation: the session it belongs to and
// the user's message. A message with no role is a user message.
type Turn struct {
	Session string
	Message llm.Message
}

// ChatOption configures Chat.
type ChatOption func(*chatConfig)

type chatConfig struct {
	system  []llm.Message
	options llm.Options
	err     error
}

// SystemPrompt makes Chat start every request with a system message of
// text. The prompt is configuration, not history: it is not stored, so
// changing it changes every session's next request.
func SystemPrompt(text string) ChatOption {
	return func(c *chatConfig) {
		if text != "" {
			c.system = []llm.Message{llm.System(text)}
		}
	}
}

// WithOptions sets the generation options (temperature, maximum
// tokens...) of the requests Chat sends. Options that llm.Options.Validate
// refuses make NewChat fail (and Chat panic).
func WithOptions(o llm.Options) ChatOption {
	return func(c *chatConfig) {
		if err := o.Validate(); err != nil {
			if c.err == nil {
				c.err = fmt.Errorf("WithOptions: %w", err)
			}
			return
		}
		c.options = o
	}
}

// Chat returns a chain that holds a conversation with model, remembered by
// mem. For each Turn it loads the session's messages from mem, sends them
// after the system prompt (SystemPrompt) and before the turn's message,
// and, only when the model answered, appends the user's message and the
// reply to mem in one Append, so they stay together and a failed call
// stores nothing. If that Append fails, the reply is returned together
// with the error, so it is not lost.
//
// When mem is a Summary whose summariser failed, Chat goes on with the
// unsummarised messages it returned and reports the *SummaryError to the
// hooks in ctx as an event of kind EventSummaryFailed. The model is
// called through llm.Chat, which reports the reply's token usage as one
// chain.EventTokens named after the model.
//
// A model may answer with nothing: no text and no tool calls. Chat returns
// that reply but stores the user's message alone, since an empty
// assistant message cannot be sent again (llm.Request.Validate and
// providers refuse it); and it leaves out of its requests any empty
// assistant message a store already holds. The next turn then follows the
// unanswered one.
//
// Chat does not run tools: a model given tools belongs in an agent loop
// that appends the tool calls and results to mem itself. Like the chain
// package's combinators, it panics (with an error matching
// chain.ErrConfig) if model or mem is nil; NewChat returns the error
// instead.
func Chat(model llm.ChatModel, mem Memory, opts ...ChatOption) chain.Chain[Turn, llm.Response] {
	return must(NewChat(model, mem, opts...))
}

// NewChat is Chat returning an error, matching chain.ErrConfig, instead of
// panicking.
func NewChat(model llm.ChatModel, mem Memory, opts ...ChatOption) (chain.Chain[Turn, llm.Response], error) {
	if model == nil {
		return nil, configError("Chat", "nil model")
	}
	if mem == nil {
		return nil, configError("Chat", "nil memory")
	}
	var cfg chatConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.err != nil {
		return nil, configError("Chat", "%v", cfg.err)
	}
	return &chat{model: model, mem: mem, cfg: cfg}, nil
}

type chat struct {
	model llm.ChatModel
	mem   Memory
	cfg   chatConfig
}

// Run holds one turn of the conversation; see Chat.
func (c *chat) Run(ctx context.Context, t Turn) (llm.Response, error) {
	if t.Session == "" {
		return llm.Response{}, fmt.Errorf("memory: chat: %w", ErrNoSession)
	}
	msg := t.Message
	if msg.Role == "" {
		msg.Role = llm.RoleUser
	}
	history, err := c.mem.Messages(ctx, t.Session)
	if se := (*SummaryError)(nil); errors.As(err, &se) && history != nil {
		chain.Emit(ctx, chain.Event{Kind: EventSummaryFailed, Name: "summary", Err: err})
	} else if err != nil {
		return llm.Response{}, fmt.Errorf("memory: chat: loading session %q: %w", t.Session, err)
	}
	history = slices.DeleteFunc(history, emptyReply) // the slice is ours
	req := llm.Request{Options: c.cfg.options}
	req.Messages = make([]llm.Message, 0, len(c.cfg.system)+len(history)+1)
	req.Messages = append(append(append(req.Messages, c.cfg.system...), history...), msg)
	resp, err := llm.Chat(ctx, c.model, req)
	if err != nil {
		return llm.Response{}, err
	}
	reply := resp.Message
	if reply.Role == "" {
		reply.Role = llm.RoleAssistant
	}
	turn := []llm.Message{msg, reply}
	if emptyReply(reply) {
		turn = turn[:1]
	}
	if err := c.mem.Append(ctx, t.Session, turn...); err != nil {
		return resp, fmt.Errorf("memory: chat: storing the turn of session %q: %w", t.Session, err)
	}
	return resp, nil
}

// Describe reports the chain as a memory node around the model.
func (c *chat) Describe() chain.Node {
	return chain.Node{Kind: KindMemory, Name: "chat memory", Children: []chain.Node{chain.Describe(c.model)}}
}

// emptyReply reports whether m is an assistant message with nothing in
// it, which a request cannot carry (see llm.Message.IsEmpty).
func emptyReply(m llm.Message) bool { return m.Role == llm.RoleAssistant && m.IsEmpty() }

package llm

import (
	"context"

	"github.com/chorus-go/chorus/chain"
)

// ChatChain makes a chain of a chat model: request in, response out. It
// calls the model through Chat, which reports the response's token usage
// to hooks (chain.EventTokens, named after the model). Like the chain
// package's combinators, it panics with an error matching chain.ErrConfig
// (and ErrNilModel) if m is nil. Of a model made by FromChain it returns
// the chain the model was made of.
func ChatChain(m ChatModel) chain.Chain[Request, Response] {
	if isNilModel(m) {
		panic(&configError{"ChatChain", ErrNilModel})
	}
	if cm, ok := m.(chainModel); ok {
		return cm.c
	}
	return chatChain{m, chain.Describe(m).Name}
}

type chatChain struct {
	m    ChatModel
	name string // the model's node name, for token events
}

func (c chatChain) Run(ctx context.Context, req Request) (Response, error) {
	return chat(ctx, c.m, c.name, req)
}

func (c chatChain) Describe() chain.Node { return chain.Describe(c.m) }

// Prompt makes a chain that sends one user message (after an optional
// system prompt) and returns the answer's text. Its token usage is
// reported as ChatChain's. It panics as ChatChain does if m is nil.
func Prompt(m ChatModel, system string) chain.Chain[string, string] {
	if isNilModel(m) {
		panic(&configError{"Prompt", ErrNilModel})
	}
	return promptChain{chatChain{m, chain.Describe(m).Name}, system}
}

type promptChain struct {
	c      chatChain
	system string
}

func (p promptChain) Run(ctx context.Context, text string) (string, error) {
	req := Request{Messages: []Message{User(text)}}
	if p.system != "" {
		req.Messages = []Message{System(p.system), User(text)}
	}
	resp, err := p.c.Run(ctx, req)
	return resp.Text(), err
}

func (p promptChain) Describe() chain.Node { return p.c.Describe() }

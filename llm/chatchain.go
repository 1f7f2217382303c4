package llm

import (
	"context"
	"fmt"

	"github.com/chorus-go/chorus/chain"
)

// ChatChain makes a chain of a chat model: request in, response out. It
// reports the response's token usage to hooks (chain.EventTokens).
func ChatChain(m ChatModel) chain.Chain[Request, Response] {
	if m == nil {
		panic(fmt.Errorf("%w: ChatChain", ErrNilModel))
	}
	return chatChain{m}
}

type chatChain struct{ m ChatModel }

func (c chatChain) Run(ctx context.Context, req Request) (Response, error) {
	resp, err := c.m.Chat(ctx, req)
	if err == nil {
		chain.Emit(ctx, chain.Event{Kind: chain.EventTokens, InputTokens: resp.Usage.InputTokens, OutputTokens: resp.Usage.OutputTokens})
	}
	return resp, err
}

func (c chatChain) Describe() chain.Node { return chain.Describe(c.m) }

// Prompt makes a chain that sends one user message (after an optional
// system prompt) and returns the answer's text.
func Prompt(m ChatModel, system string) chain.Chain[string, string] {
	if m == nil {
		panic(fmt.Errorf("%w: Prompt", ErrNilModel))
	}
	return promptChain{chatChain{m}, system}
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

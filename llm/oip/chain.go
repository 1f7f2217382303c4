package oip

import (
	"context"
	"fmt"

	"github.com/chorus-go/chorus/chain"
)

// Inferer runs a model on tensors; Model implements it. Chain takes an
// Inferer so that tests and wrappers (a cache, a router between servers)
// can stand in for a Model.
type Inferer interface {
	Infer(ctx context.Context, inputs []Tensor, outputs ...string) ([]Tensor, error)
}

// Chain makes a chain of Go types of a tensor model: encode turns the
// chain's input into the input tensors, the model runs (asked for the
// outputs named, in that order, or for all of them), and decode turns the
// output tensors into the chain's output. The compiler then checks the
// model's place in a composition like any other stage's, and the model
// can vote with LLMs and rules in chain.Vote.
//
// Errors of encode and decode are returned wrapped, naming the stage; the
// model's errors are returned as they are (an *llm.Error for a server
// failure, for chain.Retry and chain.Breaker); a panic in encode or decode
// becomes a *chain.PanicError. The chain describes itself as the model's
// node. Chain panics with a *chain.ConfigError if an argument is nil.
func Chain[In, Out any](model Inferer, encode func(In) ([]Tensor, error), decode func([]Tensor) (Out, error), outputs ...string) chain.Chain[In, Out] {
	switch {
	case model == nil:
		panic(&chain.ConfigError{Func: "oip.Chain", Reason: "nil model"})
	case encode == nil:
		panic(&chain.ConfigError{Func: "oip.Chain", Reason: "nil encode function"})
	case decode == nil:
		panic(&chain.ConfigError{Func: "oip.Chain", Reason: "nil decode function"})
	}
	return &tensorChain[In, Out]{model: model, encode: encode, decode: decode, outputs: append([]string(nil), outputs...)}
}

type tensorChain[In, Out any] struct {
	model   Inferer
	encode  func(In) ([]Tensor, error)
	decode  func([]Tensor) (Out, error)
	outputs []string
}

func (c *tensorChain[In, Out]) Run(ctx context.Context, in In) (out Out, err error) {
	var zero Out
	defer chain.Recover(&err)
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	inputs, err := c.encode(in)
	if err != nil {
		return zero, fmt.Errorf("oip: %s: encode: %w", c.name(), err)
	}
	outputs, err := c.model.Infer(ctx, inputs, c.outputs...)
	if err != nil {
		return zero, err
	}
	out, err = c.decode(outputs)
	if err != nil {
		return zero, fmt.Errorf("oip: %s: decode: %w", c.name(), err)
	}
	return out, nil
}

func (c *tensorChain[In, Out]) name() string { return chain.Describe(c.model).Name }

// Describe reports the model's node.
func (c *tensorChain[In, Out]) Describe() chain.Node {
	n := chain.Describe(c.model)
	n.Chain = c
	return n
}

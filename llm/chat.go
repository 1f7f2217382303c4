package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"math"

	"github.com/chorus-go/chorus/chain"
)

// ChatModel is a model that answers a conversation: every LLM adapter
// implements it. Chat must honour ctx and return an *Error for provider
// failures.
type ChatModel interface {
	Chat(ctx context.Context, req Request) (Response, error)
}

// Streamer is implemented by chat models that can stream their answer.
// The sequence yields text chunks as they arrive and ends with a chunk
// whose Done is set, carrying the assembled tool calls, the finish reason
// and the usage; an error ends the sequence early (a stream cut before Done
// is ErrIncompleteStream). Stopping the iteration early cancels the request.
type Streamer interface {
	Stream(ctx context.Context, req Request) iter.Seq2[Chunk, error]
}

// Request is what a chat model is asked.
type Request struct {
	Messages   []Message
	Tools      []Tool
	ToolChoice string // "", "auto", "none", "required" or a tool's name
	Format     *Format
	Options
}

// Options are the generation settings. Nil and zero values leave the
// model's defaults.
type Options struct {
	Temperature *float64
	TopP        *float64
	MaxTokens   int
	Stop        []string
	Seed        *int
}

// Validate reports the first invalid setting of o: a temperature that is
// negative or not a number, a top_p outside [0, 1], a negative MaxTokens.
// Every WithOptions of Chorus checks its options with it, so that a bad
// value makes the constructor fail instead of reaching the model.
func (o Options) Validate() error {
	switch {
	case o.Temperature != nil && !(*o.Temperature >= 0 && !math.IsInf(*o.Temperature, 1)):
		return fmt.Errorf("temperature must be a number of at least 0, got %v", *o.Temperature)
	case o.TopP != nil && !(*o.TopP >= 0 && *o.TopP <= 1):
		return fmt.Errorf("top_p must be in [0, 1], got %v", *o.TopP)
	case o.MaxTokens < 0:
		return fmt.Errorf("negative MaxTokens %d", o.MaxTokens)
	}
	return nil
}

// WithDefaults returns o with its unset fields (nil, zero or empty) taken
// from def: how an adapter applies its model-wide options (WithOptions) to
// a request, whose own options take precedence field by field.
func (o Options) WithDefaults(def Options) Options {
	if o.Temperature == nil {
		o.Temperature = def.Temperature
	}
	if o.TopP == nil {
		o.TopP = def.TopP
	}
	if o.MaxTokens == 0 {
		o.MaxTokens = def.MaxTokens
	}
	if o.Stop == nil {
		o.Stop = def.Stop
	}
	if o.Seed == nil {
		o.Seed = def.Seed
	}
	return o
}

// FormatType is the kind of output asked for.
type FormatType string

// The output formats.
const (
	FormatText       FormatType = "text"
	FormatJSON       FormatType = "json"
	FormatJSONSchema FormatType = "json_schema"
)

// Format asks for output of a given shape: free text, any JSON object, or
// JSON valid against Schema. Name names the schema for providers that want
// one; Strict asks the provider to enforce the schema exactly (OpenAI
// strict mode).
type Format struct {
	Type   FormatType
	Name   string
	Schema json.RawMessage
	Strict bool
}

// Response is a chat model's answer.
type Response struct {
	Message      Message
	FinishReason string
	Usage        Usage
	Model        string
}

// Text returns the answer's text.
func (r Response) Text() string { return r.Message.Text() }

// Usage counts the tokens of one call. InputTokens counts every input
// token, those read from or written to a provider's prompt cache included;
// CacheReadTokens and CacheWriteTokens say how many of them were, for
// providers that report it (Anthropic), and are zero otherwise.
type Usage struct {
	InputTokens  int
	OutputTokens int
	// CacheReadTokens is the part of InputTokens read from the prompt cache.
	CacheReadTokens int
	// CacheWriteTokens is the part of InputTokens written to the prompt
	// cache.
	CacheWriteTokens int
}

// Total returns input plus output tokens.
func (u Usage) Total() int { return u.InputTokens + u.OutputTokens }

// Chunk is one piece of a streamed answer. Text is the new text. The last
// chunk has Done set and carries the tool calls (assembled whole), the
// finish reason and the usage.
type Chunk struct {
	Text         string
	ToolCalls    []ToolCall
	FinishReason string
	Usage        *Usage
	Done         bool
}

// Chat asks model for its answer and reports the answer's token usage to
// the hooks in ctx: one chain.EventTokens per call, named after the model
// (chain.Describe(model).Name), when the call succeeds. Adapters only put
// the usage in the Response; Chat and Stream are the one layer that
// reports it, and every Chorus chain calls its models through them. A
// model made by FromChain is run as its chain, which reports its own
// usage (see FromChain), so nothing is counted twice.
func Chat(ctx context.Context, model ChatModel, req Request) (Response, error) {
	return chat(ctx, model, "", req)
}

// chat is Chat with the model's name known beforehand ("" to look it up).
func chat(ctx context.Context, model ChatModel, name string, req Request) (Response, error) {
	if cm, ok := model.(chainModel); ok {
		return cm.c.Run(ctx, req) // the chain reports its usage (see FromChain)
	}
	resp, err := model.Chat(ctx, req)
	if err != nil {
		return resp, err
	}
	emitUsage(ctx, model, name, resp.Usage)
	return resp, nil
}

// emitUsage reports one call's usage to the hooks in ctx.
func emitUsage(ctx context.Context, model any, name string, u Usage) {
	if !chain.HasHooks(ctx) {
		return // nobody listens: no need to describe the model
	}
	if name == "" {
		name = chain.Describe(model).Name
	}
	chain.Emit(ctx, chain.Event{Kind: chain.EventTokens, Name: name, InputTokens: u.InputTokens, OutputTokens: u.OutputTokens})
}

// Stream streams model's answer if it is a Streamer, and otherwise yields
// its whole answer as one final chunk. Either way it reports the usage of
// the final chunk to the hooks in ctx as Chat does: one chain.EventTokens
// per call, named after the model, just before the final chunk is yielded
// (zero counts when the model reported none).
func Stream(ctx context.Context, model ChatModel, req Request) iter.Seq2[Chunk, error] {
	return stream(ctx, model, "", req)
}

// stream is Stream with the model's name known beforehand ("" to look it
// up).
func stream(ctx context.Context, model ChatModel, name string, req Request) iter.Seq2[Chunk, error] {
	s, ok := model.(Streamer)
	if !ok {
		return func(yield func(Chunk, error) bool) {
			resp, err := chat(ctx, model, name, req)
			if err != nil {
				yield(Chunk{}, err)
				return
			}
			u := resp.Usage
			yield(Chunk{Text: resp.Text(), ToolCalls: resp.Message.ToolCalls, FinishReason: resp.FinishReason, Usage: &u, Done: true}, nil)
		}
	}
	return func(yield func(Chunk, error) bool) {
		for c, err := range s.Stream(ctx, req) {
			if err == nil && c.Done {
				var u Usage
				if c.Usage != nil {
					u = *c.Usage
				}
				emitUsage(ctx, model, name, u)
			}
			if !yield(c, err) {
				return
			}
		}
	}
}

// Collect drains a stream into the Response the plain call would have
// returned.
func Collect(stream iter.Seq2[Chunk, error]) (Response, error) {
	var (
		text []byte
		resp = Response{Message: Message{Role: RoleAssistant}}
		done bool
	)
	for c, err := range stream {
		if err != nil {
			return Response{}, err
		}
		text = append(text, c.Text...)
		if c.Done {
			done = true
			resp.Message.ToolCalls = c.ToolCalls
			resp.FinishReason = c.FinishReason
			if c.Usage != nil {
				resp.Usage = *c.Usage
			}
		}
	}
	if !done {
		return Response{}, ErrIncompleteStream
	}
	if len(text) > 0 {
		resp.Message.Parts = []Part{Text(string(text))}
	}
	return resp, nil
}

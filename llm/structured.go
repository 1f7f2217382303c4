package llm

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/chorus-go/chorus/chain"
	"github.com/chorus-go/chorus/chain/schema"
)

const structuredInstruction = "Reply with one JSON object that matches the JSON schema of the response format, and nothing else."

// Structured makes any chat model a chain of Go types: each call renders
// the In into the prompt (see WithPrompt; by default a string is sent as it
// is and anything else as JSON), asks the model for JSON of Out's schema
// (Format{Type: FormatJSONSchema, Strict: true where the schema allows
// it}; the schema is schema.New[Out](schema.Strict())), takes the JSON out of a
// Markdown fence if there is one, validates it against the schema and
// decodes it into an Out.
//
// When the reply is not valid, the model is asked again: the conversation
// goes on with its reply and a user message holding the validation error,
// up to WithRepairs times (default 2). Then the call fails with an
// *OutputError (errors.Is(err, ErrInvalidOutput)) whose Raw is the last
// reply. A model's own failure (an *Error: rate limit, server error...) is
// returned at once, wrapped, for chain.Retry or chain.Fallback to act on;
// so is the context's error when the call is cancelled.
//
// The schema and the validator are built once, here. Each call to the
// model goes through Chat, which reports its token usage to hooks
// (chain.EventTokens); each re-ask is reported as a chain.EventRetry named
// "repair". The chain describes itself as a
// chain.KindModel node named "structured:<Out>" with the model's node as
// its child.
//
// Structured panics if the model is nil, an option is invalid, or Out has
// no JSON schema (a func, a chan, an interface, a map with non-string
// keys, a recursive type); NewStructured returns those errors instead.
func Structured[In, Out any](model ChatModel, opts ...StructuredOption) chain.Chain[In, Out] {
	c, err := NewStructured[In, Out](model, opts...)
	if err != nil {
		panic(err)
	}
	return c
}

// NewStructured is Structured returning an error, matching chain.ErrConfig
// and ErrNilModel or ErrUnsupportedType, instead of panicking.
func NewStructured[In, Out any](model ChatModel, opts ...StructuredOption) (chain.Chain[In, Out], error) {
	s, err := newStructured[In, Out](model, adapterSpec{
		kind:        "structured",
		label:       typeLabel(reflect.TypeFor[Out]()),
		instruction: structuredInstruction,
	}, opts)
	if err != nil {
		return nil, &configError{"Structured", err}
	}
	return s, nil
}

// adapterSpec is what tells Structured, Extractor and Classifier apart.
type adapterSpec struct {
	kind        string // node name prefix: "structured", "extract", "classify"
	label       string // what follows it
	detail      string // node detail, before the repairs
	instruction string
	edit        func(*jsonschema.Schema) // edits the reflected schema, if not nil
}

// structured is the chain behind every typed adapter.
type structured[In, Out any] struct {
	model     ChatModel
	schema    *schema.Schema[Out]
	render    func(In) (string, error)
	system    string // the system message, "" for none
	format    Format
	options   Options
	repairs   int
	name      string // node name, such as "extract:Invoice"
	detail    string
	modelName string
}

func newStructured[In, Out any](model ChatModel, spec adapterSpec, opts []StructuredOption) (*structured[In, Out], error) {
	if isNilModel(model) {
		return nil, ErrNilModel
	}
	cfg := newStructuredConfig(opts)
	if cfg.err != nil {
		return nil, cfg.err
	}
	schemaOpts := []schema.Option{schema.Strict()}
	if spec.edit != nil {
		schemaOpts = append(schemaOpts, schema.Edit(spec.edit))
	}
	sch, err := schema.New[Out](schemaOpts...)
	if err != nil {
		return nil, err
	}
	render, err := newRenderer[In](cfg.tmpl)
	if err != nil {
		return nil, err
	}
	instruction := spec.instruction
	if cfg.instruction != nil {
		instruction = *cfg.instruction
	}
	var system []string
	for _, part := range []string{cfg.system, instruction} {
		if part != "" {
			system = append(system, part)
		}
	}
	if cfg.schemaInPrompt {
		system = append(system, "The JSON schema of the reply:\n"+string(sch.JSON()))
	}
	s := &structured[In, Out]{
		model:     model,
		schema:    sch,
		render:    render,
		system:    strings.Join(system, "\n\n"),
		format:    *SchemaFormat(sch),
		options:   cfg.options,
		repairs:   cfg.repairs,
		name:      spec.kind + ":" + spec.label,
		modelName: chain.Describe(model).Name,
	}
	if cfg.schemaName != "" {
		s.format.Name = cfg.schemaName
	}
	mode := "json schema"
	if sch.Strict() {
		mode = "strict json schema"
	}
	s.detail = fmt.Sprintf("%s, %d repairs", mode, cfg.repairs)
	if spec.detail != "" {
		s.detail = spec.detail + "; " + s.detail
	}
	return s, nil
}

// Run asks the model for an Out, re-asking while the reply is invalid.
func (s *structured[In, Out]) Run(ctx context.Context, in In) (out Out, err error) {
	var zero Out
	defer chain.Recover(&err)
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	user, err := s.render(in)
	if err != nil {
		return zero, fmt.Errorf("llm: %s: %w", s.name, err)
	}
	if user == "" {
		return zero, fmt.Errorf("%w: %s: the input renders to an empty message", ErrInvalidRequest, s.name)
	}
	msgs := make([]Message, 0, 2)
	if s.system != "" {
		msgs = append(msgs, System(s.system))
	}
	msgs = append(msgs, User(user))
	format := s.format
	req := Request{Messages: msgs, Format: &format, Options: s.options}
	for attempt := 1; ; attempt++ {
		resp, err := chat(ctx, s.model, s.modelName, req)
		if err != nil {
			return zero, fmt.Errorf("llm: %s: %w", s.name, err)
		}
		raw := resp.Text()
		v, perr := s.schema.Parse(raw)
		if perr == nil {
			return v, nil
		}
		if resp.FinishReason == "length" {
			perr = fmt.Errorf("%w (the reply was cut off by the token limit)", perr)
		}
		if attempt > s.repairs {
			return zero, &OutputError{Raw: raw, Attempts: attempt, Err: perr}
		}
		if err := ctx.Err(); err != nil {
			return zero, err
		}
		chain.Emit(ctx, chain.Event{Kind: chain.EventRetry, Name: "repair", Attempt: attempt, Err: perr})
		// Clip, so that the messages a model may have kept from the last
		// request are never overwritten.
		req.Messages = append(req.Messages[:len(req.Messages):len(req.Messages)], repairMessages(raw, perr)...)
	}
}

// repairMessages continue the conversation after an invalid reply: the
// reply itself (unless empty) and a user message with what was wrong.
func repairMessages(raw string, err error) []Message {
	ask := User("Your reply was not valid: " + err.Error() +
		"\n\nReply again with only the corrected JSON object, matching the schema, and no other text.")
	if strings.TrimSpace(raw) == "" {
		return []Message{ask}
	}
	return []Message{Assistant(raw), ask}
}

// Describe reports the adapter as a model node with the model as its child.
func (s *structured[In, Out]) Describe() chain.Node {
	n := chain.Node{Kind: chain.KindModel, Name: s.name, Detail: s.detail}
	if _, ok := s.model.(chain.Describer); ok {
		n.Children = []chain.Node{chain.Describe(s.model)}
	}
	return n
}

var qualifier = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*\.`)

// typeLabel names a type for graphs: its Go name without package
// qualifiers ("Invoice", "[]Item").
func typeLabel(t reflect.Type) string {
	if t == nil {
		return "any"
	}
	return qualifier.ReplaceAllString(t.String(), "")
}
